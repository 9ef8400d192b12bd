// A microgrid behind its PCC breaker: its own swing island while islanded, a controller that brings frequency,
// voltage and angle back in line with the grid, and the ANSI 25 sync-check relay that guards the breaker's close.
import { AppError } from '../../../shared/errors';
import { GridConnectState } from '../../../shared/domain/signals';
import type { MicrogridConfig } from './config';
import type { Der } from './der';
import { SwingIsland } from './frequency';

export type MicrogridState =
  // connected --Island()/PCC opens--> islanded --Reconnect() within limits--> connected
  // islanded --no grid-forming unit running--> collapsed --Reconnect() (dead-bus close)--> connected
  | { kind: 'connected' }
  | { kind: 'islanded'; since: number; island: SwingIsland; units: Der[]; demand0: number; load0: number; gfl0: number }
  | { kind: 'collapsed'; since: number };

/** Synchronizer: frequency offset per degree of angle error, and the time constant of its set-point moves. */
export const SYNC_HZ_PER_DEG = 0.0005;
export const SYNC_TAU_S = 1;

export interface SyncCheck {
  dfHz: number;
  dvPct: number;
  dphiDeg: number;
}

export class Microgrid {
  state: MicrogridState = { kind: 'connected' };
  /** Island voltage magnitude, p.u. of nominal, set by its grid-forming units. */
  vPu = 1;
  /** Island phase angle, degrees, referenced like every angle here to UTC at nominal frequency. */
  thetaDeg = 0;
  readonly buses: Set<string>;

  constructor(readonly cfg: MicrogridConfig, buses: Set<string>, readonly ders: Der[]) {
    this.buses = buses;
  }

  get gridConnect(): GridConnectState {
    return this.state.kind === 'connected' ? GridConnectState.Parallel : GridConnectState.Islanded;
  }

  /** Opens the PCC: the microgrid takes over its own frequency from the units that can form it. */
  island(t: number, importMW: number, loadMW: number, gflMW: number, gridTheta: number, pccVPu: number, f0: number, gridDf: number): void {
    if (this.state.kind !== 'connected') throw new AppError('CONFLICT', `${this.cfg.name} is already islanded`, { microgrid: this.cfg.name });
    const units = this.ders.filter((d) => d.cfg.gridForming && d.status === 1);
    this.thetaDeg = gridTheta;
    this.vPu = pccVPu;
    if (units.length === 0) {
      this.state = { kind: 'collapsed', since: t };
      return;
    }
    const pm = units.map((d) => d.pKW / 1000);
    const island = new SwingIsland(
      {
        f0,
        units: units.map((d) => ({ name: d.cfg.name, sMVA: d.cfg.kVA / 1000, h: d.cfg.h, droop: d.cfg.droop, tg: d.cfg.tgS, pMinMW: d.cfg.pMinKW / 1000, pMaxMW: d.cfg.pMaxKW / 1000 })),
        damping: this.cfg.loadDamping,
        dampingBaseMW: Math.max(loadMW, 0.01),
      },
      pm,
      gridDf,
    );
    const demand0 = importMW + pm.reduce((a, b) => a + b, 0);
    island.demandMW = demand0;
    this.state = { kind: 'islanded', since: t, island, units, demand0, load0: loadMW, gfl0: gflMW };
  }

  /** ANSI 25: compares both sides of the open PCC against the configured limits. */
  syncCheck(fGrid: number, thetaGrid: number, vGridPu: number): SyncCheck {
    const s = this.state;
    const f = s.kind === 'islanded' ? s.island.frequency : fGrid;
    const dphi = ((((this.thetaDeg - thetaGrid + 180) % 360) + 360) % 360) - 180;
    return { dfHz: f - fGrid, dvPct: (100 * (this.vPu - vGridPu)) / Math.max(vGridPu, 1e-6), dphiDeg: dphi };
  }

  /** Closes the PCC if the relay allows it; a refusal names the quantity, its value and the limit with its source. */
  reconnect(fGrid: number, thetaGrid: number, vGridPu: number): void {
    const s = this.state;
    if (s.kind === 'connected') throw new AppError('CONFLICT', `${this.cfg.name} is already connected`, { microgrid: this.cfg.name });
    if (s.kind === 'islanded') {
      const c = this.syncCheck(fGrid, thetaGrid, vGridPu);
      const L = this.cfg.syncLimits;
      const refuse = (quantity: string, value: number, limit: number, unit: string): never => {
        throw new AppError('INTERLOCK', `${this.cfg.name} PCC sync-check (25) refused: ${quantity} difference ${value.toFixed(3)} ${unit} exceeds ${limit} ${unit} (${L.source})`, {
          microgrid: this.cfg.name, quantity, value, limit, unit, source: L.source,
        });
      };
      if (Math.abs(c.dfHz) > L.dfHz) refuse('frequency', c.dfHz, L.dfHz, 'Hz');
      if (Math.abs(c.dvPct) > L.dvPct) refuse('voltage', c.dvPct, L.dvPct, '%');
      if (Math.abs(c.dphiDeg) > L.dphiDeg) refuse('phase angle', c.dphiDeg, L.dphiDeg, 'deg');
      // Grid-forming units go back to their pre-island dispatch shape: they now hold their present output.
      s.units.forEach((d, i) => d.dispatch(s.island.pm[i] * 1000, d.qKvar, 0));
    }
    this.state = { kind: 'connected' };
  }

  /**
   * One fine step while islanded: demand follows the island's loads and grid-following output; after syncDelayS
   * the controller steers frequency toward the grid's minus a term in the angle (a phase-locking synchronizer)
   * and the voltage toward the grid side of the PCC.
   */
  step(t: number, dt: number, loadMW: number, gflMW: number, fGrid: number, thetaGrid: number, vGridPu: number, vRefPu: number): void {
    const s = this.state;
    if (s.kind !== 'islanded') return;
    const island = s.island;
    const alive = s.units.some((d) => d.status === 1);
    if (!alive || island.collapsed) {
      this.state = { kind: 'collapsed', since: t };
      return;
    }
    s.units.forEach((d, i) => {
      if (d.status !== 1) island.params.units[i].pMaxMW = island.params.units[i].pMinMW = island.pm[i] = island.pref[i] = 0;
    });
    island.demandMW = s.demand0 + (loadMW - s.load0) - (gflMW - s.gfl0);
    const f0 = island.params.f0;
    let vTarget = vRefPu;
    if (t - s.since >= this.cfg.syncDelayS) {
      // Secondary control shifts the droop set points so the island settles at the target frequency (known in
      // closed form from the droop line), and the target leads the angle toward zero: a slow phase-locking loop.
      const c = this.syncCheck(fGrid, thetaGrid, vGridPu);
      const target = fGrid - f0 - Math.max(-0.1, Math.min(0.1, SYNC_HZ_PER_DEG * c.dphiDeg));
      const p = island.params;
      const stiff = p.units.reduce((a, u) => a + u.sMVA / u.droop, 0) / f0;
      const need = island.demandMW + (p.damping * p.dampingBaseMW * (target - island.dfRef)) / f0 + stiff * target;
      const gap = need - island.pref.reduce((a, b) => a + b, 0);
      p.units.forEach((u, i) => (island.pref[i] += ((gap * (u.sMVA / u.droop / f0)) / stiff) * Math.min(1, dt / SYNC_TAU_S)));
      vTarget = vGridPu;
    }
    this.vPu += (vTarget - this.vPu) * Math.min(1, dt / 0.5);
    island.step(dt);
    this.thetaDeg += 360 * island.df * dt;
    s.units.forEach((d, i) => (d.pKW = island.pm[i] * 1000));
  }
}
