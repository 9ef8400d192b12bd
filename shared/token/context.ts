// What an encrypted payload is bound to: the chain, the ledger contract, the token and its owner. Serialised
// once, fixed-length, so AAD, key commitment and key-wrap derivation all bind exactly the same bytes.
import { AppError } from '../errors';
import { ByteWriter, fromHex, id32, u256 } from './bytes';

export interface EnvelopeContext {
  chainId: bigint;
  ledger: string; // the ledger contract address (20 bytes hex)
  tokenId: bigint; // uint256
  owner: string; // owner id: an address or a bytes32 participant id
}

export function contextBytes(ctx: EnvelopeContext): Uint8Array {
  if (typeof ctx.chainId !== 'bigint' || ctx.chainId <= 0n || ctx.chainId >= 1n << 64n) throw new AppError('INVALID_ARGUMENT', 'envelope chainId must be a positive u64 bigint', { field: 'chainId' });
  if (typeof ctx.tokenId !== 'bigint') throw new AppError('INVALID_ARGUMENT', 'envelope tokenId must be a bigint', { field: 'tokenId' });
  return new ByteWriter()
    .u64(ctx.chainId)
    .bytes(fromHex(ctx.ledger, 'ledger', 20))
    .bytes(u256(ctx.tokenId, 'tokenId'))
    .bytes(id32(ctx.owner, 'owner'))
    .finish();
}
