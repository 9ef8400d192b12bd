// The contract version agreed at connect: the client offers the versions it speaks, the core picks the highest
// common one. Bump CONTRACT_VERSION only for breaking changes; adding a channel or an optional field is additive.
export const CONTRACT_VERSION = 1;
export const SUPPORTED_CONTRACT_VERSIONS: readonly number[] = [1];

/** Picks the highest version both sides speak, or undefined when there is none. */
export function negotiateVersion(offered: readonly number[], supported: readonly number[] = SUPPORTED_CONTRACT_VERSIONS): number | undefined {
  const common = offered.filter((v) => supported.includes(v));
  return common.length ? Math.max(...common) : undefined;
}
