// SPDX-License-Identifier: UNLICENSED
// Offers and their escrow: a DSO posts terms and locks the asset; disputes freeze it for an arbiter; the unused
// remainder goes back to the beneficiary only after the window, the settlement period and the dispute window.
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Registry} from "./Registry.sol";
import {Offer, Terms} from "./SettlementTypes.sol";

abstract contract EscrowBook is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 internal constant OPEN = 1;
    uint8 internal constant DISPUTED = 2;
    uint8 internal constant RESOLVED = 3; // arbiter ruled: no more settlements, remainder refundable
    uint8 internal constant CLOSED = 4;
    uint8 internal constant ROLE_DSO = 1; // Registry.ROLE_DSO
    uint8 internal constant ROLE_ARBITER = 5; // Registry.ROLE_ARBITER

    IERC20 public immutable asset;
    Registry public immutable registry;
    uint40 public immutable settlementPeriod; // after windowEnd, settlements are still accepted this long
    uint40 public immutable disputeWindow; // after that, disputes may still be opened this long
    uint256 public immutable classRoleMasks; // serviceClass c allows provider role r iff bit (8c + r) is set
    uint40 public immutable minBond; // whole XRG, the Registry's (immutable there too)

    /// @dev The Registry's eligibility word per signer (Registry.eligibilityWord), pushed by it on every change.
    mapping(address signer => uint256 word) public eligibilityOf;

    mapping(bytes32 offerId => Offer) internal _offers;

    event OfferPosted(bytes32 indexed offerId, address indexed provider, address indexed beneficiary, Terms terms);
    event EscrowLocked(bytes32 indexed offerId, uint256 amount);
    event DisputeOpened(bytes32 indexed offerId, address indexed by, bytes32 reason);
    event DisputeResolved(bytes32 indexed offerId, address indexed arbiter, uint256 toProvider, uint256 escrowLeft, bytes32 ruling);
    event EscrowReleased(bytes32 indexed offerId, address indexed payee, uint256 amount);
    event EscrowRefunded(bytes32 indexed offerId, address indexed payee, uint256 amount);
    event OfferClosed(bytes32 indexed offerId, uint128 qtyLeft, uint64 nextSeq);

    error WrongRole(address signer, uint8 role);
    error BadTerms(uint8 field); // 0 provider, 1 price, 2 multipliers, 3 quantity, 4 escrow, 5 window
    error OfferExists(bytes32 offerId);
    error OfferNotOpen(bytes32 offerId, uint8 status);
    error NotParty(address caller);
    error TooEarly(uint256 at);
    error TooLate(uint256 closedAt);
    error AmountAboveEscrow(uint256 amount, uint256 escrowLeft);
    error FeeOnTransfer(uint256 expected, uint256 received);
    error UnbondingTooShort(uint256 unbondingDelay, uint256 settlementAndDispute);
    error NotRegistry(address caller);
    error NotRegistered(address signer);
    error ParticipantRevoked(address signer);
    error Unbonding(address signer, uint256 unbondAt);
    error UnderBonded(address signer, uint256 bond, uint256 minBond);

    constructor(IERC20 asset_, Registry registry_, uint40 settlementPeriod_, uint40 disputeWindow_, uint256 classRoleMasks_) {
        // A signer must not be able to leave with its bond while one of its settlements can still be disputed.
        uint256 window = uint256(settlementPeriod_) + disputeWindow_;
        if (registry_.minUnbondingDelay() <= window) revert UnbondingTooShort(registry_.minUnbondingDelay(), window);
        asset = asset_;
        registry = registry_;
        settlementPeriod = settlementPeriod_;
        disputeWindow = disputeWindow_;
        classRoleMasks = classRoleMasks_;
        minBond = registry_.minBond();
    }

    /// @notice Called by the Registry whenever a participant changes (and for all of them when this sink is added).
    function syncParticipant(address signer, uint256 word) external {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        eligibilityOf[signer] = word;
    }

    function offerIdOf(address beneficiary, Terms calldata t) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), beneficiary, t));
    }

    /// @notice The caller (a bonded DSO) posts an offer to a provider and locks `t.escrow` of the asset.
    function postOffer(Terms calldata t) external nonReentrant returns (bytes32 offerId) {
        (uint8 role,) = _eligible(msg.sender);
        if (role != ROLE_DSO) revert WrongRole(msg.sender, role);
        (uint8 providerRole,) = _eligible(t.provider);
        if (!_roleAllowed(t.serviceClass, providerRole)) revert WrongRole(t.provider, providerRole);
        if (t.provider == msg.sender) revert BadTerms(0);
        if (t.price == 0) revert BadTerms(1);
        uint128 packed;
        for (uint256 i; i < 8; ++i) packed |= uint128(t.multipliers[i]) << (16 * i);
        if (packed == 0) revert BadTerms(2);
        if (t.quantity == 0) revert BadTerms(3);
        if (t.escrow == 0) revert BadTerms(4);
        if (t.windowEnd <= t.windowStart) revert BadTerms(5);
        offerId = offerIdOf(msg.sender, t);
        if (_offers[offerId].status != 0) revert OfferExists(offerId);
        _offers[offerId] = Offer({
            provider: t.provider, serviceClass: t.serviceClass, status: OPEN, windowStart: t.windowStart,
            beneficiary: msg.sender, windowEnd: t.windowEnd,
            qtyLeft: t.quantity, escrowLeft: t.escrow, nextSeq: 0, price: t.price, multipliers: packed
        });
        emit OfferPosted(offerId, t.provider, msg.sender, t);
        emit EscrowLocked(offerId, t.escrow);
        uint256 before = asset.balanceOf(address(this));
        asset.safeTransferFrom(msg.sender, address(this), t.escrow);
        uint256 received = asset.balanceOf(address(this)) - before;
        if (received != t.escrow) revert FeeOnTransfer(t.escrow, received);
    }

    /// @notice Either party freezes the escrow for the arbiter, until the dispute window closes.
    function openDispute(bytes32 offerId, bytes32 reason) external {
        Offer storage o = _offers[offerId];
        if (o.status != OPEN) revert OfferNotOpen(offerId, o.status);
        if (msg.sender != o.provider && msg.sender != o.beneficiary) revert NotParty(msg.sender);
        uint256 closes = _refundAt(o);
        if (block.timestamp >= closes) revert TooLate(closes);
        o.status = DISPUTED;
        emit DisputeOpened(offerId, msg.sender, reason);
    }

    /// @notice A bonded arbiter pays `toProvider` out of the frozen escrow; the offer takes no more settlements.
    function resolveDispute(bytes32 offerId, uint128 toProvider, bytes32 ruling) external nonReentrant {
        (uint8 role,) = _eligible(msg.sender);
        if (role != ROLE_ARBITER) revert WrongRole(msg.sender, role);
        Offer storage o = _offers[offerId];
        if (o.status != DISPUTED) revert OfferNotOpen(offerId, o.status);
        if (toProvider > o.escrowLeft) revert AmountAboveEscrow(toProvider, o.escrowLeft);
        o.escrowLeft -= toProvider;
        o.status = RESOLVED;
        address payee = address(uint160(eligibilityOf[o.provider]));
        emit DisputeResolved(offerId, msg.sender, toProvider, o.escrowLeft, ruling);
        emit EscrowReleased(offerId, payee, toProvider);
        if (toProvider != 0) asset.safeTransfer(payee, toProvider);
    }

    /// @notice Anyone may return the unused remainder to the beneficiary's payee once nothing can claim it.
    function refund(bytes32 offerId) external nonReentrant {
        Offer storage o = _offers[offerId];
        if (o.status != OPEN && o.status != RESOLVED) revert OfferNotOpen(offerId, o.status);
        uint256 at = _refundAt(o);
        if (block.timestamp < at) revert TooEarly(at);
        uint128 amount = o.escrowLeft;
        o.escrowLeft = 0;
        o.status = CLOSED;
        address payee = address(uint160(eligibilityOf[o.beneficiary]));
        emit EscrowRefunded(offerId, payee, amount);
        emit OfferClosed(offerId, o.qtyLeft, o.nextSeq);
        if (amount != 0) asset.safeTransfer(payee, amount);
    }

    function offer(bytes32 offerId) external view returns (Offer memory) {
        return _offers[offerId];
    }

    /// @dev Reverts with the reason a signer may not take part now (checked when the transaction executes).
    function _eligible(address signer) internal view returns (uint8 role, address payee) {
        uint256 w = eligibilityOf[signer];
        role = uint8(w >> 160);
        if (role == 0) revert NotRegistered(signer);
        if ((w >> 168) & 1 == 1) revert ParticipantRevoked(signer);
        uint256 unbondAt = uint40(w >> 176);
        if (unbondAt != 0) revert Unbonding(signer, unbondAt);
        uint256 bond = uint40(w >> 216);
        if (bond < minBond) revert UnderBonded(signer, bond, minBond);
        payee = address(uint160(w));
    }

    function _refundAt(Offer storage o) internal view returns (uint256) {
        return uint256(o.windowEnd) + settlementPeriod + disputeWindow;
    }

    function _roleAllowed(uint8 serviceClass, uint8 role) internal view returns (bool) {
        return serviceClass < 32 && role < 8 && (classRoleMasks >> (uint256(serviceClass) * 8 + role)) & 1 == 1;
    }
}
