// SPDX-License-Identifier: UNLICENSED
// Participants of the exergy market (DSO, microgrid controller, DER/meter, auditor, arbiter): one signing address
// each, its compressed key, a versioned encryption key, an XRG bond, and the eligibility check settlements call.
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Secp256k1} from "./Secp256k1.sol";

/// @notice A contract that keeps a mirror of participants' eligibility words (Settlement), pushed on every change.
interface IParticipantSink {
    function syncParticipant(address signer, uint256 word) external;
}

contract Registry is AccessControlDefaultAdminRules, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint8 public constant ROLE_DSO = 1;
    uint8 public constant ROLE_CONTROLLER = 2;
    uint8 public constant ROLE_DER = 3;
    uint8 public constant ROLE_AUDITOR = 4;
    uint8 public constant ROLE_ARBITER = 5;
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    bytes32 public constant REGISTRATION_TYPEHASH =
        keccak256("Registration(bytes32 id,uint8 role,address signer,address payee,bytes32 encKeyHash,uint32 encKeyVersion)");

    /// @dev The first slot holds everything a settlement checks (payee, role, flags, bond), so eligibility costs one
    /// cold read per signer; the bond is counted in whole XRG (BOND_UNIT base units) to fit that slot.
    struct Participant {
        address payee;
        uint8 role;
        bool revoked;
        uint40 unbondAt; // 0 = bonded; otherwise the time the bond may be withdrawn (ineligible from the request on)
        uint40 bond; // whole XRG
        bytes32 id;
        uint32 encKeyVersion;
    }

    uint256 public constant BOND_UNIT = 1e18;

    IERC20 public immutable xrg;
    uint40 public immutable minUnbondingDelay;
    /// @dev Fixed at deployment (no proxy): a settlement then reads no registry-wide slot. Whole XRG.
    uint40 public immutable minBond;
    uint40 public unbondingDelay;
    mapping(address signer => Participant) private _bySigner;
    mapping(bytes32 id => address) public signerOf;
    mapping(bytes32 id => bytes) public encryptionKeyOf;
    /// @dev Settlement contracts mirror each participant's eligibility word so a settlement reads it locally (two
    /// cold slots) instead of calling here (a cold account, a call and two cold slots): the 100k gas budget.
    address[] public sinks;
    address[] private _signers;

    event ParticipantChanged(bytes32 indexed id, address indexed signer, bytes32 indexed change, Participant record, bytes encryptionKey);
    event ParameterChanged(bytes32 indexed name, uint256 oldValue, uint256 newValue);

    error NotRegistered(address signer);
    error UnknownParticipant(bytes32 id);
    error ParticipantRevoked(bytes32 id);
    error UnderBonded(bytes32 id, uint256 bond, uint256 minBond);
    error Unbonding(bytes32 id, uint256 unbondAt);
    error SignerInUse(address signer);
    error IdInUse(bytes32 id);
    error BadRole(uint8 role);
    error BadProof(uint8 which); // 0 = signing key, 1 = encryption key
    error SameKey();
    error NotSigner(address caller);
    error UnbondNotReady(uint256 unbondAt);
    error DelayTooShort(uint256 delay, uint256 minimum);
    error FeeOnTransfer(uint256 expected, uint256 received);
    error ZeroAmount();
    error ZeroPayee();

    constructor(IERC20 xrg_, uint40 minBond_, uint40 unbondingDelay_, uint40 minUnbondingDelay_, uint48 adminDelay, address admin)
        AccessControlDefaultAdminRules(adminDelay, admin)
        EIP712("ExergyRegistry", "1")
    {
        if (unbondingDelay_ < minUnbondingDelay_) revert DelayTooShort(unbondingDelay_, minUnbondingDelay_);
        xrg = xrg_;
        minBond = minBond_;
        unbondingDelay = unbondingDelay_;
        minUnbondingDelay = minUnbondingDelay_;
    }

    /// @notice Registers a participant; both keys prove possession by signing the same EIP-712 Registration.
    function register(
        bytes32 id,
        uint8 role,
        address payee,
        bytes calldata signingKey,
        bytes calldata encKey,
        bytes calldata sigBySigner,
        bytes calldata sigByEncKey
    ) external onlyRole(REGISTRAR_ROLE) {
        if (role == 0 || role > ROLE_ARBITER) revert BadRole(role);
        if (payee == address(0)) revert ZeroPayee(); // a settlement to it would revert forever
        if (signerOf[id] != address(0) || id == bytes32(0)) revert IdInUse(id);
        address signer = Secp256k1.addressOf(signingKey);
        if (_bySigner[signer].role != 0) revert SignerInUse(signer); // never shared, never reused after revocation
        _proveKeys(registrationDigest(id, role, signer, payee, keccak256(encKey), 1), signer, encKey, sigBySigner, sigByEncKey);
        _store(id, role, payee, signer, encKey);
    }

    function _store(bytes32 id, uint8 role, address payee, address signer, bytes calldata encKey) private {
        _bySigner[signer] = Participant({payee: payee, role: role, revoked: false, unbondAt: 0, bond: 0, id: id, encKeyVersion: 1});
        signerOf[id] = signer;
        encryptionKeyOf[id] = encKey;
        _signers.push(signer);
        emit ParticipantChanged(id, signer, "registered", _bySigner[signer], encKey);
        _sync(signer);
    }

    /// @notice A new encryption key (version + 1), proven by the signing key and the new key itself.
    function rotateEncryptionKey(bytes32 id, bytes calldata encKey, bytes calldata sigBySigner, bytes calldata sigByEncKey) external {
        address signer = _signer(id);
        Participant storage p = _bySigner[signer];
        uint32 version = p.encKeyVersion + 1;
        _proveKeys(registrationDigest(id, p.role, signer, p.payee, keccak256(encKey), version), signer, encKey, sigBySigner, sigByEncKey);
        p.encKeyVersion = version;
        encryptionKeyOf[id] = encKey;
        emit ParticipantChanged(id, signer, "encryptionKey", p, encKey);
    }

    function setPayee(bytes32 id, address payee) external {
        address signer = _signer(id);
        if (msg.sender != signer) revert NotSigner(msg.sender);
        if (payee == address(0)) revert ZeroPayee();
        _bySigner[signer].payee = payee;
        emit ParticipantChanged(id, signer, "payee", _bySigner[signer], encryptionKeyOf[id]);
        _sync(signer);
    }

    function revoke(bytes32 id) external onlyRole(REGISTRAR_ROLE) {
        address signer = _signer(id);
        _bySigner[signer].revoked = true;
        emit ParticipantChanged(id, signer, "revoked", _bySigner[signer], encryptionKeyOf[id]);
        _sync(signer);
    }

    /// @notice Adds `whole` XRG to a participant's bond (anyone may pay it); fee-on-transfer tokens are refused.
    function bond(bytes32 id, uint40 whole) external nonReentrant {
        if (whole == 0) revert ZeroAmount();
        uint256 amount = uint256(whole) * BOND_UNIT;
        address signer = _signer(id);
        Participant storage p = _bySigner[signer];
        p.bond += whole;
        emit ParticipantChanged(id, signer, "bonded", p, encryptionKeyOf[id]);
        _sync(signer);
        uint256 before = xrg.balanceOf(address(this));
        xrg.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = xrg.balanceOf(address(this)) - before;
        if (received != amount) revert FeeOnTransfer(amount, received);
    }

    /// @notice Starts the unbonding delay; the participant is ineligible from now on.
    function requestUnbond(bytes32 id) external {
        address signer = _signer(id);
        if (msg.sender != signer) revert NotSigner(msg.sender);
        Participant storage p = _bySigner[signer];
        p.unbondAt = uint40(block.timestamp) + unbondingDelay;
        emit ParticipantChanged(id, signer, "unbonding", p, encryptionKeyOf[id]);
        _sync(signer);
    }

    /// @notice Pays the whole bond to the registered payee once the delay has passed.
    function withdrawBond(bytes32 id) external nonReentrant {
        address signer = _signer(id);
        if (msg.sender != signer) revert NotSigner(msg.sender);
        Participant storage p = _bySigner[signer];
        if (p.unbondAt == 0 || block.timestamp < p.unbondAt) revert UnbondNotReady(p.unbondAt);
        uint256 amount = uint256(p.bond) * BOND_UNIT;
        p.bond = 0;
        emit ParticipantChanged(id, signer, "withdrawn", p, encryptionKeyOf[id]);
        _sync(signer);
        xrg.safeTransfer(p.payee, amount);
    }

    /// @notice Adds a contract that mirrors eligibility (a new Settlement) and brings it up to date.
    function addSink(address sink) external onlyRole(DEFAULT_ADMIN_ROLE) {
        sinks.push(sink);
        emit ParameterChanged("sinkAdded", 0, uint256(uint160(sink)));
        for (uint256 i; i < _signers.length; ++i) IParticipantSink(sink).syncParticipant(_signers[i], eligibilityWord(_signers[i]));
    }

    /// @notice payee | role << 160 | revoked << 168 | unbondAt << 176 | bond (whole XRG) << 216.
    function eligibilityWord(address signer) public view returns (uint256) {
        Participant storage p = _bySigner[signer];
        return uint256(uint160(p.payee)) | (uint256(p.role) << 160) | (p.revoked ? 1 << 168 : 0) | (uint256(p.unbondAt) << 176)
            | (uint256(p.bond) << 216);
    }

    function setUnbondingDelay(uint40 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value < minUnbondingDelay) revert DelayTooShort(value, minUnbondingDelay);
        emit ParameterChanged("unbondingDelay", unbondingDelay, value);
        unbondingDelay = value;
    }

    /// @notice Reverts with the reason a signer may not take part now; otherwise its role and payee.
    function eligible(address signer) external view returns (uint8 role, address payee) {
        role = _eligibleRole(signer);
        payee = _bySigner[signer].payee;
    }

    /// @dev Reads only the participant's first slot: a settlement pays for one cold read per signer.
    function _eligibleRole(address signer) private view returns (uint8 role) {
        Participant storage p = _bySigner[signer];
        role = p.role;
        if (role == 0) revert NotRegistered(signer);
        if (p.revoked) revert ParticipantRevoked(p.id);
        if (p.unbondAt != 0) revert Unbonding(p.id, p.unbondAt);
        if (p.bond < minBond) revert UnderBonded(p.id, p.bond, minBond);
    }

    function participant(address signer) external view returns (Participant memory) {
        return _bySigner[signer];
    }

    function registrationDigest(bytes32 id, uint8 role, address signer, address payee, bytes32 encKeyHash, uint32 version) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REGISTRATION_TYPEHASH, id, role, signer, payee, encKeyHash, version)));
    }

    function _proveKeys(bytes32 digest, address signer, bytes calldata encKey, bytes calldata sigBySigner, bytes calldata sigByEncKey) private view {
        address encAddr = Secp256k1.addressOf(encKey);
        if (encAddr == signer) revert SameKey();
        if (ECDSA.recover(digest, sigBySigner) != signer) revert BadProof(0);
        if (ECDSA.recover(digest, sigByEncKey) != encAddr) revert BadProof(1);
    }

    function _sync(address signer) private {
        uint256 word = eligibilityWord(signer);
        for (uint256 i; i < sinks.length; ++i) IParticipantSink(sinks[i]).syncParticipant(signer, word);
    }

    function _signer(bytes32 id) private view returns (address signer) {
        signer = signerOf[id];
        if (signer == address(0)) revert UnknownParticipant(id);
    }
}
