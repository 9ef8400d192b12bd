// Frequency of one synchronous island: an aggregate swing equation with governor-droop units and load damping.
// The bulk system is one such island (S_sys, H_sys); an islanded microgrid gets another from its own units.

/** A unit that holds frequency: a synchronous machine (real H) or a grid-forming inverter (virtual H). */
export interface FrequencyUnit {
  name: string;
  sMVA: number; // rating the inertia constant and droop refer to
  h: number; // inertia constant, s (MW·s/MVA)
  droop: number; // R, per unit (0.05 = 5 %)
  tg: number; // governor / power-loop time constant, s
  pMinMW: number;
  pMaxMW: number;
}

export interface IslandParams {
  f0: number;
  units: FrequencyUnit[];
  /** Load damping D: per-unit load change per per-unit frequency change, on `dampingBaseMW`. */
  damping: number;
  dampingBaseMW: number;
}

/**
 * State: deviation df (Hz) and each unit's mechanical power Pm (MW).
 *   (2·Ek/f0)·d(df)/dt = ΣPm − Pe − D·Pbase·df/f0,   Ek = Σ H·S
 *   Tg·dPm/dt = Pref − (S/R)·df/f0 − Pm   (clamped to the unit's limits)
 * Integrated with RK4 at a fixed step so the result does not depend on how the wall clock paces the steps.
 */
export class SwingIsland {
  df = 0;
  rocof = 0;
  readonly pm: number[];
  readonly pref: number[];
  /** Electrical demand the units must cover, MW (loads minus non-forming generation, plus any lost generation). */
  demandMW = 0;
  collapsed = false;
  /** Deviation at which the island was formed: load damping and droop are referenced to it. */
  readonly dfRef: number;

  /**
   * `initialDf` is the frequency deviation the island starts from (the grid's, when a microgrid islands): its units'
   * droop set points and its demand were measured there, so the step response starts from that operating point.
   */
  constructor(readonly params: IslandParams, initialPm: number[], initialDf = 0) {
    this.pm = [...initialPm];
    this.df = initialDf;
    this.dfRef = initialDf;
    this.pref = initialPm.map((p, i) => p + ((params.units[i].sMVA / params.units[i].droop) * initialDf) / params.f0);
  }

  get kineticEnergyMWs(): number {
    return this.params.units.reduce((s, u) => s + u.h * u.sMVA, 0);
  }

  get frequency(): number {
    return this.params.f0 + this.df;
  }

  private deriv(df: number, pm: number[], out: number[]): void {
    const { f0, units, damping, dampingBaseMW } = this.params;
    const ek = this.kineticEnergyMWs;
    let sum = 0;
    for (const p of pm) sum += p;
    out[0] = (f0 / (2 * ek)) * (sum - this.demandMW - (damping * dampingBaseMW * (df - this.dfRef)) / f0);
    for (let i = 0; i < units.length; i++) {
      const u = units[i];
      out[i + 1] = (this.pref[i] - ((u.sMVA / u.droop) * df) / f0 - pm[i]) / u.tg;
    }
  }

  step(dt: number): void {
    const n = this.params.units.length;
    if (n === 0 || this.kineticEnergyMWs <= 0) {
      // No unit holds the island's frequency: it cannot stand (it collapses within cycles).
      this.collapsed = true;
      this.rocof = 0;
      return;
    }
    const x = [this.df, ...this.pm];
    const k = [0, 1, 2, 3].map(() => new Array<number>(n + 1).fill(0));
    const tmp = new Array<number>(n + 1);
    const at = (base: number[], kk: number[], h: number): number[] => {
      for (let i = 0; i <= n; i++) tmp[i] = base[i] + h * kk[i];
      return tmp;
    };
    this.deriv(x[0], x.slice(1), k[0]);
    let y = at(x, k[0], dt / 2);
    this.deriv(y[0], y.slice(1), k[1]);
    y = at(x, k[1], dt / 2);
    this.deriv(y[0], y.slice(1), k[2]);
    y = at(x, k[2], dt);
    this.deriv(y[0], y.slice(1), k[3]);
    for (let i = 0; i <= n; i++) x[i] += (dt / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
    const units = this.params.units;
    for (let i = 0; i < n; i++) this.pm[i] = Math.min(units[i].pMaxMW, Math.max(units[i].pMinMW, x[i + 1]));
    const prev = this.df;
    this.df = x[0];
    this.rocof = (this.df - prev) / dt;
  }
}
