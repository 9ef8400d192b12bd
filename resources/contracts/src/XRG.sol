// SPDX-License-Identifier: UNLICENSED
// XRG, the Exergy participation token: bonded in the Registry and the default settlement asset.
// Fixed supply minted once at deployment; no owner, no mint, no hooks, so its transfer cost stays a plain ERC-20's.
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

contract XRG is ERC20 {
    constructor(address holder, uint256 supply) ERC20("Exergy", "XRG") {
        _mint(holder, supply);
    }
}
