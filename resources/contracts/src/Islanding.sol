// SPDX-License-Identifier: UNLICENSED
// Certified islanding transitions per microgrid (seed FIG. 6): a record after the fact, never a gate on the breaker.
// Planned transitions carry the controller's and the DSO's signatures; unplanned ones stand unconfirmed until the DSO countersigns.
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Registry} from "./Registry.sol";

/// @dev States follow shared/domain/signals.ts GridConnectState: 0 Parallel, 1 Islanded, 2 RideThrough.
struct Transition {
    bytes32 microgrid; // the controller's participant id
    uint64 seq;
    uint8 from;
    uint8 to;
    uint64 time; // ms since epoch, from the controller's clock
    uint8 cause;
    bool planned;
    int32 dfMilliHz;
    int32 dVMilliPu;
    int32 dPhiCentiDeg;
    bytes32 limitsId; // hash of the sync-check limits in force
}

contract Islanding is EIP712 {
    bytes32 public constant TRANSITION_TYPEHASH = keccak256(
        "Transition(bytes32 microgrid,uint64 seq,uint8 from,uint8 to,uint64 time,uint8 cause,bool planned,int32 dfMilliHz,int32 dVMilliPu,int32 dPhiCentiDeg,bytes32 limitsId)"
    );
    // Bit (3*from + to) set = allowed. Planned: Parallel<->Islanded. Unplanned: out of Parallel into Islanded or
    // RideThrough, and out of RideThrough; reconnecting an island (1->0) is always planned (IEEE 1547 enter service).
    uint16 private constant PLANNED = (1 << 1) | (1 << 3);
    uint16 private constant UNPLANNED = (1 << 1) | (1 << 2) | (1 << 6) | (1 << 7);

    struct Microgrid {
        uint8 state;
        uint64 nextSeq;
    }

    Registry public immutable registry;
    mapping(bytes32 microgrid => Microgrid) public microgrids;
    mapping(bytes32 transitionId => bytes32 digest) public unconfirmed;

    event TransitionRecorded(
        bytes32 indexed transitionId, bytes32 indexed microgrid, address indexed controller,
        Transition transition, bytes32 digest, bytes controllerSig, bytes dsoSig, address dso, bool confirmed
    );
    event TransitionConfirmed(bytes32 indexed transitionId, bytes32 indexed microgrid, address indexed dso, bytes32 digest, bytes dsoSig);

    error BadSeq(uint64 expected, uint64 got);
    error BadState(uint8 current, uint8 from);
    error TransitionNotAllowed(uint8 from, uint8 to, bool planned);
    error WrongSigner(uint8 index, address recovered);
    error WrongRole(address signer, uint8 role);
    error NotPending(bytes32 transitionId);
    error DsoSignatureRequired();

    constructor(Registry registry_) EIP712("ExergyIslanding", "1") {
        registry = registry_;
    }

    function record(Transition calldata t, bytes calldata controllerSig, bytes calldata dsoSig) external returns (bytes32 id) {
        Microgrid storage m = microgrids[t.microgrid];
        if (t.seq != m.nextSeq) revert BadSeq(m.nextSeq, t.seq);
        if (t.from != m.state) revert BadState(m.state, t.from);
        if (t.from > 2 || t.to > 2 || ((t.planned ? PLANNED : UNPLANNED) >> (3 * t.from + t.to)) & 1 == 0) {
            revert TransitionNotAllowed(t.from, t.to, t.planned);
        }
        bytes32 digest = transitionDigest(t);
        address controller = ECDSA.recoverCalldata(digest, controllerSig);
        if (controller != registry.signerOf(t.microgrid)) revert WrongSigner(0, controller);
        (uint8 role,) = registry.eligible(controller);
        if (role != registry.ROLE_CONTROLLER()) revert WrongRole(controller, role);
        address dso;
        if (dsoSig.length != 0) dso = _dso(digest, dsoSig);
        else if (t.planned) revert DsoSignatureRequired();
        id = keccak256(abi.encode(t.microgrid, t.seq));
        m.state = t.to;
        m.nextSeq = t.seq + 1;
        if (dso == address(0)) unconfirmed[id] = digest;
        emit TransitionRecorded(id, t.microgrid, controller, t, digest, controllerSig, dsoSig, dso, dso != address(0));
    }

    /// @notice The DSO countersigns an unplanned transition recorded on the controller's signature alone.
    function confirm(Transition calldata t, bytes calldata dsoSig) external {
        bytes32 id = keccak256(abi.encode(t.microgrid, t.seq));
        bytes32 digest = transitionDigest(t);
        if (unconfirmed[id] == bytes32(0) || unconfirmed[id] != digest) revert NotPending(id);
        address dso = _dso(digest, dsoSig);
        delete unconfirmed[id];
        emit TransitionConfirmed(id, t.microgrid, dso, digest, dsoSig);
    }

    function transitionDigest(Transition calldata t) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TRANSITION_TYPEHASH, t)));
    }

    function _dso(bytes32 digest, bytes calldata sig) private view returns (address dso) {
        dso = ECDSA.recoverCalldata(digest, sig);
        (uint8 role,) = registry.eligible(dso);
        if (role != registry.ROLE_DSO()) revert WrongRole(dso, role);
    }
}
