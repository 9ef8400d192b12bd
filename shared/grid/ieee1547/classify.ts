// Looks up which ride-through region a voltage (p.u.) or frequency (Hz) falls in, and the minimum ride-through
// time there (sloped lines evaluated at the value). Linear scans: tables have at most eight bands.
import type { CategoryRules, MinTime, Region } from './types';

export function inRegion(g: Region, x: number): boolean {
  const aboveLo = g.loClosed ? x >= g.lo : x > g.lo;
  const belowHi = g.hiClosed ? x <= g.hi : x < g.hi;
  return aboveLo && belowHi;
}

/** Index of the region holding x, or -1 for NaN. */
export function regionIndex(regions: readonly Region[], x: number): number {
  for (let i = 0; i < regions.length; i++) if (inRegion(regions[i], x)) return i;
  return -1;
}

export function regionOf(regions: readonly Region[], x: number): Region | undefined {
  const i = regionIndex(regions, x);
  return i < 0 ? undefined : regions[i];
}

/** Minimum ride-through time in seconds at value x (Infinity for continuous / not applicable). */
export function minTimeS(t: MinTime, x: number): number {
  switch (t.kind) {
    case 'infinite':
      return Number.POSITIVE_INFINITY;
    case 'fixed':
      return t.s;
    case 'sloped':
      return t.t0 + t.slope * (x - t.v0);
  }
}

/** The continuous-operation band [lo, hi] of a table. */
export function continuousBand(regions: readonly Region[]): { lo: number; hi: number } {
  const c = regions.find((g) => g.mode === 'continuous');
  if (!c) return { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  return { lo: c.lo, hi: c.hi };
}

export interface Bands {
  v: { lo: number; hi: number };
  f: { lo: number; hi: number };
}

export function bandsOf(cat: CategoryRules): Bands {
  return { v: continuousBand(cat.voltage), f: continuousBand(cat.frequency) };
}
