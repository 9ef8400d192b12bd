// SPDX-License-Identifier: UNLICENSED
// The seed's self-executing contract (claims 1-3): two registered parties sign a report, the contract checks the
// state they saw, computes the amount itself, pays the provider's payee from escrow; batches carry a Merkle root.
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EscrowBook} from "./EscrowBook.sol";
import {Registry} from "./Registry.sol";
import {BatchHeader, Leaf, Offer, Report} from "./SettlementTypes.sol";

contract Settlement is EscrowBook, EIP712 {
    using SafeERC20 for IERC20;

    uint256 public constant WH_PER_KWH = 1000;
    uint256 public constant BPS = 10_000;
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "Report(bytes32 offerId,uint64 seq,uint128 qtyMeasured,uint128 qtySettled,uint8 band,uint64 period,bytes32 payloadHash,bytes32 keyCommitment,uint64 classifiers,bytes32 stateSeen,uint64 deadline)"
    );
    bytes32 public constant BATCH_TYPEHASH = keccak256(
        "BatchHeader(bytes32 offerId,uint64 firstSeq,uint32 count,bytes32 root,uint256 total,bytes32 stateSeen,uint64 deadline)"
    );

    struct Batch {
        bytes32 offerId;
        bytes32 root;
    }

    mapping(bytes32 batchId => Batch) public batches;

    event Settled(
        bytes32 indexed settlementId, address indexed provider, bytes32 indexed classifierKey,
        address beneficiary, address payee, Report report, bytes32 digest, bytes32[2] providerSig, bytes32[2] beneficiarySig,
        uint256 amount, uint64 qtyLeftAfter, uint128 escrowLeftAfter
    );
    event BatchSettled(
        bytes32 indexed batchId, address indexed provider, bytes32 indexed classifierKey,
        address beneficiary, address payee, BatchHeader header, bytes32[2] providerSig, bytes32[2] beneficiarySig,
        Leaf[] leaves, uint64 qtyLeftAfter, uint128 escrowLeftAfter
    );

    error SignatureLength(uint8 index, uint256 length);
    error WrongSigner(uint8 index, address recovered);
    error Expired(uint64 deadline);
    error BadSeq(uint64 expected, uint64 got);
    error StaleState(bytes32 expected, bytes32 got);
    error PeriodOutsideWindow(uint64 period);
    error SettlementClosed(uint256 closedAt);
    error BandNotOffered(uint8 band);
    error QuantityAboveMeasured(uint128 settled, uint128 measured);
    error QuantityAboveLeft(uint256 qty, uint64 qtyLeft);
    error BadCount(uint32 count, uint256 leaves);
    error TotalMismatch(uint256 signed, uint256 computed);
    error RootMismatch(bytes32 signed, bytes32 computed);

    constructor(IERC20 asset_, Registry registry_, uint40 settlementPeriod_, uint40 disputeWindow_, uint256 classRoleMasks_)
        EscrowBook(asset_, registry_, settlementPeriod_, disputeWindow_, classRoleMasks_)
        EIP712("ExergySettlement", "1")
    {}

    /// @notice Settles one report signed by the offer's provider (first) and beneficiary (second).
    function settle(Report calldata r, bytes calldata providerSig, bytes calldata beneficiarySig) external nonReentrant returns (uint256 amount) {
        Offer storage so = _offers[r.offerId];
        Offer memory o = so; // the four slots once; every check below reads memory
        bytes32 digest = reportDigest(r);
        address payee = _admit(o, r.offerId, r.seq, r.stateSeen, r.deadline, digest, providerSig, beneficiarySig);
        amount = _amount(o, r.qtyMeasured, r.qtySettled, r.band, r.period);
        (uint64 qtyLeft, uint128 escrowLeft) = _consume(so, o, r.qtySettled, amount, 1);
        emit Settled(
            settlementId(r.offerId, r.seq), o.provider, bytes32(uint256(r.classifiers)),
            o.beneficiary, payee, r, digest, _compact(providerSig), _compact(beneficiarySig), amount, qtyLeft, escrowLeft
        );
        if (amount != 0) asset.safeTransfer(payee, amount);
    }

    /// @notice Settles `h.count` consecutive seqs at once: every leaf's amount and the root are recomputed here.
    function settleBatch(BatchHeader calldata h, Leaf[] calldata leaves, bytes calldata providerSig, bytes calldata beneficiarySig)
        external nonReentrant returns (uint256 total)
    {
        Offer storage so = _offers[h.offerId];
        Offer memory o = so;
        if (h.count == 0 || h.count != leaves.length) revert BadCount(h.count, leaves.length);
        address payee = _admit(o, h.offerId, h.firstSeq, h.stateSeen, h.deadline, batchDigest(h), providerSig, beneficiarySig);
        uint256 n = leaves.length;
        bytes32[] memory tree = new bytes32[](2 * n - 1);
        uint256 qty;
        for (uint256 i; i < n; ++i) {
            Leaf calldata leaf = leaves[i];
            if (leaf.seq != h.firstSeq + i) revert BadSeq(uint64(h.firstSeq + i), leaf.seq);
            uint256 amount = _amount(o, leaf.qtyMeasured, leaf.qtySettled, leaf.band, leaf.period);
            qty += leaf.qtySettled;
            total += amount;
            // StandardMerkleTree layout with sortLeaves=false: leaf i sits at index (2n-2-i).
            tree[2 * n - 2 - i] = _leafHash(h.offerId, leaf, amount);
        }
        for (uint256 i = n - 1; i > 0; --i) tree[i - 1] = Hashes.commutativeKeccak256(tree[2 * i - 1], tree[2 * i]);
        if (total != h.total) revert TotalMismatch(h.total, total);
        if (tree[0] != h.root) revert RootMismatch(h.root, tree[0]);
        (uint64 qtyLeft, uint128 escrowLeft) = _consume(so, o, qty, total, uint64(n));
        bytes32 batchId = settlementId(h.offerId, h.firstSeq);
        batches[batchId] = Batch(h.offerId, h.root);
        emit BatchSettled(
            batchId, o.provider, bytes32(uint256(leaves[0].classifiers)),
            o.beneficiary, payee, h, _compact(providerSig), _compact(beneficiarySig), leaves, qtyLeft, escrowLeft
        );
        if (total != 0) asset.safeTransfer(payee, total);
    }

    /// @notice True when `leaf` (with the amount the offer's terms give it) is in the settled batch `batchId`.
    function isMember(bytes32 batchId, Leaf calldata leaf, bytes32[] calldata proof) external view returns (bool) {
        Batch storage b = batches[batchId];
        if (b.root == bytes32(0)) return false;
        Offer storage o = _offers[b.offerId];
        uint256 mult = uint16(o.multipliers >> (16 * uint256(leaf.band)));
        uint256 amount = leaf.band < 8 ? Math.mulDiv(leaf.qtySettled, uint256(o.price) * mult, WH_PER_KWH * BPS) : 0;
        return MerkleProof.verifyCalldata(proof, b.root, _leafHash(b.offerId, leaf, amount));
    }

    function settlementId(bytes32 offerId, uint64 seq) public pure returns (bytes32) {
        return keccak256(abi.encode(offerId, seq));
    }

    /// @notice What the parties must have seen: keccak256(abi.encode(offerId, seq, qtyLeft, escrowLeft)).
    function stateOf(bytes32 offerId) public view returns (bytes32) {
        Offer storage o = _offers[offerId];
        return keccak256(abi.encode(offerId, o.nextSeq, o.qtyLeft, o.escrowLeft));
    }

    function reportDigest(Report calldata r) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REPORT_TYPEHASH, r)));
    }

    function batchDigest(BatchHeader calldata h) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BATCH_TYPEHASH, h)));
    }

    function leafHash(bytes32 offerId, Leaf calldata leaf, uint256 amount) external pure returns (bytes32) {
        return _leafHash(offerId, leaf, amount);
    }

    /// @dev The checks every settlement passes before any amount is computed; returns the provider's payee.
    function _admit(
        Offer memory o, bytes32 offerId, uint64 seq, bytes32 stateSeen, uint64 deadline, bytes32 digest,
        bytes calldata providerSig, bytes calldata beneficiarySig
    ) private view returns (address payee) {
        if (o.status != OPEN) revert OfferNotOpen(offerId, o.status);
        if (block.timestamp > deadline) revert Expired(deadline);
        uint256 closes = uint256(o.windowEnd) + settlementPeriod;
        if (block.timestamp > closes) revert SettlementClosed(closes);
        if (seq != o.nextSeq) revert BadSeq(o.nextSeq, seq);
        bytes32 state = keccak256(abi.encode(offerId, seq, o.qtyLeft, o.escrowLeft));
        if (stateSeen != state) revert StaleState(state, stateSeen);
        if (providerSig.length != 65) revert SignatureLength(0, providerSig.length);
        if (beneficiarySig.length != 65) revert SignatureLength(1, beneficiarySig.length);
        address p = ECDSA.recoverCalldata(digest, providerSig);
        if (p != o.provider) revert WrongSigner(0, p);
        address b = ECDSA.recoverCalldata(digest, beneficiarySig);
        if (b != o.beneficiary) revert WrongSigner(1, b);
        // Eligibility is checked now, not at posting: a revoked, unbonding or under-bonded signer settles nothing.
        uint8 providerRole;
        (providerRole, payee) = _eligible(p);
        if (!_roleAllowed(o.serviceClass, providerRole)) revert WrongRole(p, providerRole);
        (uint8 beneficiaryRole,) = _eligible(b);
        if (beneficiaryRole != ROLE_DSO) revert WrongRole(b, beneficiaryRole);
    }

    /// @dev quantity [Wh] x price [base units/kWh] x multiplier [bps], rounded down.
    function _amount(Offer memory o, uint128 measured, uint128 settled, uint8 band, uint64 period) private view returns (uint256) {
        if (settled > measured) revert QuantityAboveMeasured(settled, measured);
        if (period < o.windowStart || period > o.windowEnd) revert PeriodOutsideWindow(period);
        uint256 mult = band < 8 ? uint16(o.multipliers >> (16 * uint256(band))) : 0;
        if (mult == 0) revert BandNotOffered(band);
        return Math.mulDiv(settled, uint256(o.price) * mult, WH_PER_KWH * BPS);
    }

    function _consume(Offer storage so, Offer memory o, uint256 qty, uint256 amount, uint64 seqs)
        private returns (uint64 qtyLeft, uint128 escrowLeft)
    {
        if (qty > o.qtyLeft) revert QuantityAboveLeft(qty, o.qtyLeft);
        if (amount > o.escrowLeft) revert AmountAboveEscrow(amount, o.escrowLeft);
        unchecked {
            qtyLeft = o.qtyLeft - uint64(qty); // both bounded by the checks above
            escrowLeft = o.escrowLeft - uint128(amount);
        }
        (so.qtyLeft, so.escrowLeft, so.nextSeq) = (qtyLeft, escrowLeft, o.nextSeq + seqs);
    }

    /// @dev EIP-2098 form of a checked 65-byte signature: (r, yParity << 255 | s); the event carries 2 words, not 5.
    function _compact(bytes calldata sig) private pure returns (bytes32[2] memory c) {
        c[0] = bytes32(sig[0:32]);
        c[1] = bytes32(uint256(bytes32(sig[32:64])) | (uint256(uint8(sig[64]) - 27) << 255));
    }

    function _leafHash(bytes32 offerId, Leaf calldata x, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(
            offerId, x.seq, x.qtyMeasured, x.qtySettled, x.band, x.period, x.payloadHash, x.keyCommitment, x.classifiers, amount
        ))));
    }
}
