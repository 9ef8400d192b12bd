// SPDX-License-Identifier: UNLICENSED
// The typed records both parties sign (EIP-712) and the offer terms a beneficiary posts; shared by Settlement and
// mirrored field for field in main/services/ledger/contracts.ts (a test checks the digests agree with ethers).
pragma solidity 0.8.30;

/// @dev Units: quantities in Wh, price in asset base units per kWh, multipliers in basis points (10_000 = 1x).
struct Report {
    bytes32 offerId;
    uint64 seq;
    uint128 qtyMeasured;
    uint128 qtySettled;
    uint8 band;
    uint64 period;
    bytes32 payloadHash;
    bytes32 keyCommitment;
    uint64 classifiers;
    bytes32 stateSeen;
    uint64 deadline;
}

/// @dev One settlement inside a batch: a Report without the offer (in the header), state and deadline.
struct Leaf {
    uint64 seq;
    uint128 qtyMeasured;
    uint128 qtySettled;
    uint8 band;
    uint64 period;
    bytes32 payloadHash;
    bytes32 keyCommitment;
    uint64 classifiers;
}

struct BatchHeader {
    bytes32 offerId;
    uint64 firstSeq;
    uint32 count;
    bytes32 root;
    uint256 total;
    bytes32 stateSeen;
    uint64 deadline;
}

/// @dev What the beneficiary posts; offerId = keccak256(abi.encode(chainid, settlement, beneficiary, terms)).
struct Terms {
    address provider;
    uint8 serviceClass;
    uint128 price;
    uint16[8] multipliers; // band -> bps; 0 = band not paid (FIG. 5: farther from nominal, higher multiplier)
    uint64 quantity;
    uint128 escrow;
    uint40 windowStart;
    uint40 windowEnd;
    bytes32 salt;
}

/// @dev Storage layout packed so a settlement reads four slots and writes one (slot 2: everything that moves).
struct Offer {
    address provider;
    uint8 serviceClass;
    uint8 status;
    uint40 windowStart;
    address beneficiary;
    uint40 windowEnd;
    uint64 qtyLeft;
    uint128 escrowLeft;
    uint64 nextSeq;
    uint128 price;
    uint128 multipliers; // 8 x uint16, band i at bits [16i, 16i+16)
}
