// Public classifiers derived from a payload (claim 5: "categorized and filterable"): a packed 32-bit key the
// contracts can index and filter with a mask, plus 32-byte tags for location and grid state.
import { keccak_256 } from '@noble/hashes/sha3';
import { AppError } from '../errors';
import { concat, toHex, u256 } from './bytes';
import { PAYLOAD_VERSION, type TokenPayload } from './payload';

/**
 * Bit layout of the classifier key (LSB first). Field value 3 in gridConnect / voltageBand means "hidden" (salted).
 *   0-3 codec version | 4-5 timeDomain-1 | 6-7 gridConnect | 8-9 genClass | 10-12 zceSubclass
 *   13-14 voltageCategory | 15-16 rideThroughCategory | 17 loadCoupling | 18-20 storedSubclass | 21-22 voltageBand
 */
export const CLASSIFIER_BITS = {
  version: [0, 4],
  timeDomain: [4, 2],
  gridConnect: [6, 2],
  genClass: [8, 2],
  zceSubclass: [10, 3],
  voltageCategory: [13, 2],
  rideThroughCategory: [15, 2],
  loadCoupling: [17, 1],
  storedSubclass: [18, 3],
  voltageBand: [21, 2],
} as const satisfies Record<string, readonly [number, number]>;
export type ClassifierField = keyof typeof CLASSIFIER_BITS;
export const HIDDEN = 3;

/** 0: within ±5 % of nominal; 1: within the 0.9-1.1 p.u. continuous band; 2: ride-through territory (seed ¶0080). */
export function voltageBand(microPu: number): number {
  const dev = Math.abs(microPu - 1_000_000);
  return dev <= 50_000 ? 0 : dev <= 100_000 ? 1 : 2;
}

export interface Classifiers {
  key: number; // u32, packed as above
  locationTag: string; // bytes32 hex
  stateTag: string; // bytes32 hex
  salted: boolean;
}

const LOC_TAG = new TextEncoder().encode('exergy/classifier/location/v1');
const STATE_TAG = new TextEncoder().encode('exergy/classifier/state/v1');
const enc = new TextEncoder();

function lenPrefixed(s: string): Uint8Array {
  const b = enc.encode(s);
  return concat(new Uint8Array([b.length]), b);
}

export function packClassifier(fields: Record<ClassifierField, number>): number {
  let key = 0;
  for (const [name, [shift, width]] of Object.entries(CLASSIFIER_BITS) as [ClassifierField, readonly [number, number]][]) {
    const v = fields[name];
    if (!Number.isInteger(v) || v < 0 || v >= 1 << width) throw new AppError('INVALID_ARGUMENT', `classifier field ${name} out of range`, { field: name, value: v });
    key |= v << shift;
  }
  return key >>> 0;
}

export function unpackClassifier(key: number): Record<ClassifierField, number> {
  const out = {} as Record<ClassifierField, number>;
  for (const [name, [shift, width]] of Object.entries(CLASSIFIER_BITS) as [ClassifierField, readonly [number, number]][]) out[name] = (key >>> shift) & ((1 << width) - 1);
  return out;
}

/**
 * With a salt (public chains), the grid state and voltage band are hidden in the key and the location and state
 * tags become keccak(salt ‖ ...): readers who hold the salt can still filter; others cannot see where the grid is
 * stressed. Without a salt the tags are plain keccak commitments anyone can recompute from a feeder name.
 */
export function deriveClassifiers(p: TokenPayload, salt?: Uint8Array): Classifiers {
  if (salt !== undefined && salt.length !== 32) throw new AppError('INVALID_ARGUMENT', 'classifier salt must be 32 bytes', { field: 'salt' });
  const band = voltageBand(p.epsVoltageMicroPu);
  const key = packClassifier({
    version: PAYLOAD_VERSION,
    timeDomain: p.timeDomain - 1,
    gridConnect: salt ? HIDDEN : p.gridConnect,
    genClass: p.genClass,
    zceSubclass: p.zceSubclass,
    voltageCategory: p.voltageCategory,
    rideThroughCategory: p.rideThroughCategory,
    loadCoupling: p.loadCoupling,
    storedSubclass: p.storedSubclass,
    voltageBand: salt ? HIDDEN : band,
  });
  const s = salt ?? new Uint8Array(0);
  const loc = keccak_256(concat(LOC_TAG, s, lenPrefixed(p.location.feeder), lenPrefixed(p.location.section)));
  const state = keccak_256(concat(STATE_TAG, s, new Uint8Array([p.gridConnect, band]), u256(BigInt(p.periodStartMs) / 3_600_000n, 'hour')));
  return { key, locationTag: toHex(loc), stateTag: toHex(state), salted: salt !== undefined };
}

/** A filter is a (mask, value) pair over the key: matches when (key & mask) === value. */
export function classifierFilter(want: Partial<Record<ClassifierField, number>>): { mask: number; value: number } {
  let mask = 0;
  let value = 0;
  for (const [name, v] of Object.entries(want) as [ClassifierField, number][]) {
    const [shift, width] = CLASSIFIER_BITS[name];
    const m = ((1 << width) - 1) << shift;
    mask |= m;
    value |= (v << shift) & m;
  }
  return { mask: mask >>> 0, value: value >>> 0 };
}

export function matchesFilter(key: number, f: { mask: number; value: number }): boolean {
  return ((key & f.mask) >>> 0) === f.value;
}
