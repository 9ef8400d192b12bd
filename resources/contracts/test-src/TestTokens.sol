// SPDX-License-Identifier: UNLICENSED
// Hostile ERC-20s for the settlement tests only (never deployed by the product): a fee-on-transfer token and
// a token that calls back into the settlement contract from inside transfer, to prove the guards hold.
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

contract FeeToken is ERC20 {
    constructor(address holder, uint256 supply) ERC20("Fee", "FEE") {
        _mint(holder, supply);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0xdead), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

contract ReentrantToken is ERC20 {
    address public target;
    bytes public payload;
    bool public armed;

    constructor(address holder, uint256 supply) ERC20("Reentrant", "RNT") {
        _mint(holder, supply);
    }

    /// @notice Arms one call to `target` with `payload` from inside the next transfer; it must revert the transfer.
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed) {
            armed = false;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = target.call(payload); // the hostile callback is the point of this token
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}
