// The engine without a server: the same seed replays the same run (noise, grey-sky loop, PMU frames), and an
// island with no grid-forming unit collapses (its PMUs report invalid data) while one with a unit stands.
import { describe, expect, it } from 'vitest';
import { loadFeeder } from '../../../main/services/feeders/load-feeder';
import { applyOverrides } from '../../../main/services/simulator/config';
import { SimEngine } from '../../../main/services/simulator/engine';
import { ieee123Config } from '../../../main/services/simulator/ieee123-placement';
import { createGridSolver } from '../../../main/services/simulator/real-solver';
import { DerStatus } from '../../../shared/domain/signals';

const model = loadFeeder('ieee123');
const engine = (seed: number, overrides: object = {}) => new SimEngine(applyOverrides(ieee123Config(), { defaultLoop: { enabled: true, everyS: 1 }, ...overrides }), createGridSolver(model), seed, 0);

describe('simulation engine', () => {
  it('replays exactly from a seed, and differs with another seed', () => {
    const run = (seed: number) => {
      const e = engine(seed);
      const out: number[] = [];
      const logs: string[] = [];
      e.on({ pmu: (k, _t, v) => k === 0 && out.push(v[0], v[12]), log: (t, s) => logs.push(`${t} ${s}`) });
      e.advanceTo(3);
      return { out, logs };
    };
    const a = run(11), b = run(11), c = run(12);
    expect(a.out.length).toBeGreaterThan(2.8 * 60 * 2); // frames up to the last quasi-static solve
    expect(b.out).toEqual(a.out);
    expect(b.logs).toEqual(a.logs);
    expect(c.out).not.toEqual(a.out);
  });

  it('an island without a running grid-forming unit collapses; with one it stands', () => {
    const e = engine(1, { ambient: false, defaultLoop: { enabled: false, everyS: 1 } });
    e.advanceTo(0.5);
    e.events.apply({ type: 'derTrip', at: 0, der: 'CHP_89' }); // MG3's only grid-forming unit
    e.events.island('MG3');
    e.events.island('MG1');
    const valid: Record<string, boolean> = {};
    e.on({ pmu: (k, _t, _v, ok) => (valid[e.cfg.pmus[k].name] = ok) });
    e.advanceTo(1.5);
    expect(e.microgrids[2].state.kind).toBe('collapsed');
    expect(valid.PMU_87).toBe(false);
    expect(e.ders.find((d) => d.cfg.name === 'BESS_91')!.status).not.toBe(DerStatus.Running);
    expect(e.microgrids[0].state.kind).toBe('islanded');
    expect(valid.PMU_135).toBe(true);
    expect(valid.PMU_150).toBe(true);
  });
});
