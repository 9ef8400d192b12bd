// Test helpers: a DER detector for a category and a piecewise-constant recording generator (V p.u., f Hz, status).
import { DerStatus } from '../../../shared/domain/signals';
import { categoryRules, derSettings, resolveRuleSet, type Category, type DerSettingsInput } from '../../../shared/grid/ieee1547';
import { RideThroughDetector, type DetectionSettings, type GridEvent } from '../../../shared/grid/events';

export interface Step {
  untilS: number; // this segment lasts until this time (s)
  v?: number; // p.u., all three phases (nominal when absent)
  f?: number;
  status?: DerStatus;
}

/** Samples (input, tMs, value) of a piecewise-constant scenario at `dtMs`, inputs 0..2 = VA..VC, 3 = f, 4 = status. */
export function samples(steps: Step[], dtMs = 20): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let v: number;
  let f: number;
  let st: number = DerStatus.Running;
  let lastSt = -1;
  let k = 0;
  for (const s of steps) {
    v = s.v ?? 1; // unspecified quantities are nominal; status carries over
    f = s.f ?? 60;
    st = s.status ?? st;
    for (; k * dtMs < s.untilS * 1000 - 1e-9; k++) {
      const t = k * dtMs;
      out.push([0, t, v], [1, t, v], [2, t, v], [3, t, f]);
      if (st !== lastSt) {
        out.push([4, t, st]);
        lastSt = st;
      }
    }
  }
  return out;
}

export function makeDetector(category: Category, emit: (e: GridEvent) => void, opts: { choices?: Record<string, string>; overrides?: DerSettingsInput['overrides']; settings?: Partial<DetectionSettings> } = {}): RideThroughDetector {
  const rules = resolveRuleSet('ieee1547-2018', opts.choices ?? {});
  return new RideThroughDetector(
    {
      subject: 'der/PV1',
      kind: 'der',
      inputs: [{ role: 'V', nominal: 1 }, { role: 'V', nominal: 1 }, { role: 'V', nominal: 1 }, { role: 'f' }, { role: 'status' }],
      voltageSource: 'der-terminal',
      rules: categoryRules(rules, category),
      trips: derSettings(rules, { category, overrides: opts.overrides }).trips,
      rocofWindowS: rules.rocofWindowS,
      settings: opts.settings,
    },
    emit,
  );
}

export function run(category: Category, steps: Step[], opts: Parameters<typeof makeDetector>[2] & { dtMs?: number } = {}): GridEvent[] {
  const out: GridEvent[] = [];
  const d = makeDetector(category, (e) => out.push(e), opts);
  for (const [i, t, v] of samples(steps, opts.dtMs)) d.push(i, t, v, 0);
  d.flush();
  return out.filter((e) => e.phase === 'closed');
}
