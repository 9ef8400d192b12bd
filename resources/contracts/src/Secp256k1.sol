// SPDX-License-Identifier: UNLICENSED
// Compressed secp256k1 public keys: decompress (modexp precompile square root) and derive the Ethereum address,
// so the Registry can check that a 33-byte key really belongs to the address that signs.
pragma solidity 0.8.30;

library Secp256k1 {
    uint256 internal constant P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;

    error BadPublicKey();

    /// @notice The address of a 33-byte compressed public key; reverts BadPublicKey when it is not on the curve.
    function addressOf(bytes calldata key) internal view returns (address) {
        if (key.length != 33 || (key[0] != 0x02 && key[0] != 0x03)) revert BadPublicKey();
        uint256 x = uint256(bytes32(key[1:33]));
        if (x >= P) revert BadPublicKey();
        uint256 rhs = addmod(mulmod(mulmod(x, x, P), x, P), 7, P);
        // p = 3 mod 4, so a square root is rhs^((p+1)/4); it is a root only if rhs is a quadratic residue.
        uint256 y = _modexp(rhs, (P + 1) / 4);
        if (mulmod(y, y, P) != rhs) revert BadPublicKey();
        if ((y & 1) != (uint8(key[0]) & 1)) y = P - y;
        return address(uint160(uint256(keccak256(abi.encodePacked(x, y)))));
    }

    function _modexp(uint256 b, uint256 e) private view returns (uint256 r) {
        (bool ok, bytes memory out) = address(0x05).staticcall(abi.encode(uint256(32), uint256(32), uint256(32), b, e, P));
        if (!ok || out.length != 32) revert BadPublicKey();
        r = abi.decode(out, (uint256));
    }
}
