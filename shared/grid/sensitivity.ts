// Uses of the power flow beyond one solve: voltage sensitivity to P or Q injected at a bus (grid services) and the
// marginal loss factor between two buses (token payload). Central differences around an operating point, with
// regulator taps held (a sensitivity is a seconds-scale quantity; tap changers act in tens of seconds).
import { AppError } from '../errors';
import type { PowerFlowSolver, SolveInput } from './solver';

export interface VoltageSensitivity {
  bus: string;
  kind: 'P' | 'Q';
  /** d|V|/dX for every node (network node order), pu per kW (P) or per kvar (Q) injected at `bus`. */
  perNode: Float64Array;
  /** The same at the injection bus, per phase present (index 0 = phase 1). NaN where the phase is absent. */
  atBus: [number, number, number];
}

function withInjection(base: SolveInput, bus: string, p: number, q: number, phases?: number[]): SolveInput {
  return { ...base, controlMode: 'fixed', warmStart: true, injections: [...(base.injections ?? []), { bus, p_kW: p, q_kvar: q, ...(phases ? { phases } : {}) }] };
}

/** dV/dP or dV/dQ of a balanced (or `phases`-only) injection at `bus`. `step` in kW/kvar (default 10). */
export function voltageSensitivity(pf: PowerFlowSolver, base: SolveInput, bus: string, kind: 'P' | 'Q', opts: { step?: number; phases?: number[] } = {}): VoltageSensitivity {
  const h = opts.step ?? 10;
  if (!(h > 0)) throw new AppError('INVALID_ARGUMENT', 'sensitivity step must be > 0', { field: 'step' });
  pf.solve({ ...base, controlMode: 'fixed' });
  const up = pf.solve(withInjection(base, bus, kind === 'P' ? h : 0, kind === 'Q' ? h : 0, opts.phases)).vMag.slice();
  const dn = pf.solve(withInjection(base, bus, kind === 'P' ? -h : 0, kind === 'Q' ? -h : 0, opts.phases)).vMag;
  const perNode = new Float64Array(up.length);
  for (let i = 0; i < up.length; i++) perNode[i] = (up[i] - dn[i]) / (2 * h);
  const atBus = [1, 2, 3].map((p) => {
    const i = pf.net.index.get(`${bus.toLowerCase()}.${p}`);
    return i === undefined ? NaN : perNode[i];
  }) as [number, number, number];
  return { bus, kind, perNode, atBus };
}

/** Marginal loss factor: d(losses)/dP for 1 kW injected at `from` and withdrawn at `to` (or at the source, when
 *  `to` is omitted). Negative when moving power from `from` to `to` reduces losses. Dimensionless (kW/kW). */
export function marginalLossFactor(pf: PowerFlowSolver, base: SolveInput, from: string, to?: string, step = 10): number {
  const shift = (k: number): SolveInput => {
    const s = withInjection(base, from, k, 0);
    if (to) s.injections = [...(s.injections ?? []), { bus: to, p_kW: -k, q_kvar: 0 }];
    return s;
  };
  pf.solve({ ...base, controlMode: 'fixed' });
  const up = pf.solve(shift(step)).losses.kW;
  const dn = pf.solve(shift(-step)).losses.kW;
  return (up - dn) / (2 * step);
}
