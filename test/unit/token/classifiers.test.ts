import { keccak256, solidityPacked } from 'ethers';
import { describe, expect, it } from 'vitest';
import { classifierFilter, deriveClassifiers, GridConnectState, HIDDEN, matchesFilter, unpackClassifier, voltageBand } from '../../../shared/token';
import { consumed, stored } from './fixtures';

describe('token classifiers', () => {
  it('packs the public fields into a key that unpacks to the payload', () => {
    const c = deriveClassifiers(consumed);
    expect(unpackClassifier(c.key)).toEqual({ version: 1, timeDomain: 2, gridConnect: 2, genClass: 0, zceSubclass: 2, voltageCategory: 2, rideThroughCategory: 3, loadCoupling: 0, storedSubclass: 0, voltageBand: 2 });
    // independent packing: the documented bit positions
    expect(c.key).toBe(1 | (2 << 4) | (2 << 6) | (0 << 8) | (2 << 10) | (2 << 13) | (3 << 15) | (0 << 17) | (0 << 18) | (2 << 21));
  });

  it('filters by mask: ride-through ZCE tokens, stored pumped hydro', () => {
    const rt = classifierFilter({ gridConnect: GridConnectState.RideThrough, genClass: 0 });
    expect(matchesFilter(deriveClassifiers(consumed).key, rt)).toBe(true);
    expect(matchesFilter(deriveClassifiers(stored).key, rt)).toBe(false);
    const ph = classifierFilter({ loadCoupling: 1, storedSubclass: 4 });
    expect(matchesFilter(deriveClassifiers(stored).key, ph)).toBe(true);
  });

  it('location tag is keccak over domain and length-prefixed names (checked with ethers)', () => {
    const expected = keccak256(solidityPacked(['string', 'uint8', 'string', 'uint8', 'string'], ['exergy/classifier/location/v1', 7, 'IEEE123', 4, 'L114']));
    expect(deriveClassifiers(consumed).locationTag).toBe(expected);
  });

  it('salting hides state and voltage band and makes tags unlinkable without the salt', () => {
    const salt = new Uint8Array(32).fill(9);
    const plain = deriveClassifiers(consumed);
    const salted = deriveClassifiers(consumed, salt);
    const u = unpackClassifier(salted.key);
    expect([u.gridConnect, u.voltageBand]).toEqual([HIDDEN, HIDDEN]);
    expect(salted.locationTag).not.toBe(plain.locationTag);
    expect(salted.stateTag).not.toBe(plain.stateTag);
    expect(deriveClassifiers(consumed, salt)).toEqual(salted);
    expect(deriveClassifiers(consumed, new Uint8Array(32).fill(8)).locationTag).not.toBe(salted.locationTag);
  });

  it('classes the voltage band at the seed ride-through thresholds', () => {
    expect([1_000_000, 1_050_000, 1_050_001, 900_000, 899_999, 1_112_500].map(voltageBand)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
