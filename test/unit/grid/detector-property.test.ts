// Property: events are a pure function of sample time. Splitting the stream into arbitrary batches, delivering
// samples out of order within the lateness bound, or pacing the replay differently never changes the events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GridEvent } from '../../../shared/grid/events';
import { makeDetector } from './helpers';

type S = [input: number, t: number, value: number, status: number];

const segment = fc.record({
  ms: fc.integer({ min: 20, max: 3000 }),
  v: fc.constantFrom(1, 1, 0.95, 0.86, 0.8, 0.6, 0.4, 0.2, 1.12, 1.18, 1.25),
  f: fc.constantFrom(60, 60, 59.0, 58.5, 57.5, 61.5, 62.2),
  status: fc.constantFrom(1, 1, 1, 2, 3),
  bad: fc.boolean(),
  gapMs: fc.constantFrom(0, 0, 0, 700),
});

function build(segs: Array<typeof segment extends fc.Arbitrary<infer T> ? T : never>): S[] {
  const out: S[] = [];
  let t = 0;
  let lastStatus = -1;
  for (const g of segs) {
    const end = t + g.ms;
    for (; t < end; t += 20) {
      const q = g.bad && t % 60 === 0 ? 0x80000000 : 0;
      out.push([0, t, g.v, q], [1, t, g.v * 1.01, 0], [2, t, g.v, 0], [3, t, g.f, 0]);
      if (g.status !== lastStatus) out.push([4, t, g.status, 0]);
      lastStatus = g.status;
    }
    t += g.gapMs;
  }
  return out;
}

function detect(samples: S[], batches: number[] = [samples.length], latenessMs = 200): { events: GridEvent[]; counters: Record<string, number> } {
  const events: GridEvent[] = [];
  const d = makeDetector('II', (e) => events.push(e), { settings: { latenessMs } });
  let k = 0;
  for (const size of batches) {
    for (const end = Math.min(samples.length, k + size); k < end; k++) d.push(...samples[k]);
  }
  for (; k < samples.length; k++) d.push(...samples[k]);
  d.flush();
  return { events, counters: { ...d.counters } };
}

describe('detection is a pure function of sample timestamps', () => {
  it('arbitrary batch boundaries give identical events', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 30 }), (segs, cuts) => {
        const s = build(segs);
        expect(detect(s, cuts)).toEqual(detect(s));
      }),
      { numRuns: 40 },
    );
  });

  it('out-of-order delivery within the lateness bound gives identical events', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 2 ** 31 }), (segs, seed) => {
        const s = build(segs);
        let x = seed | 1;
        const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        // Each sample arrives at t + delay, delay < lateness: a valid network reordering.
        const shuffled = s.map((z, i) => ({ z, key: z[1] + rnd() * 199, i })).sort((a, b) => a.key - b.key || a.i - b.i).map((a) => a.z);
        const ref = detect(s);
        const got = detect(shuffled);
        expect(got.events).toEqual(ref.events);
        expect({ ...got.counters, outOfOrder: 0 }).toEqual({ ...ref.counters, outOfOrder: 0 });
      }),
      { numRuns: 40 },
    );
  });

  it('replay pacing (awaits between batches) does not matter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }), async (segs, pauses) => {
        const s = build(segs);
        const events: GridEvent[] = [];
        const d = makeDetector('II', (e) => events.push(e), { settings: { latenessMs: 200 } });
        const chunk = Math.ceil(s.length / pauses.length);
        for (let p = 0; p < pauses.length; p++) {
          for (const z of s.slice(p * chunk, (p + 1) * chunk)) d.push(...z);
          await new Promise((r) => setTimeout(r, pauses[p]));
        }
        d.flush();
        expect(events).toEqual(detect(s).events);
      }),
      { numRuns: 10 },
    );
  });
});
