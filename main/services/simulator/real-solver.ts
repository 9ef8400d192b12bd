// Plugs the shared three-phase power flow (shared/grid/solver.ts, issue 3) in behind the simulator's GridSolver:
// maps names and phases both ways and reads bus voltages and branch currents out of its result.
import type { Phase } from '../../../shared/domain/signals';
import type { FeederModel } from '../../../shared/grid/feeder-model';
import { buildNetwork } from '../../../shared/grid/network';
import { createSolver } from '../../../shared/grid/solver';
import { topologyOf } from './feeder-topology';
import type { GridSolver, PhasorTriple, SolveInput, SolveResult } from './grid-solver';

const NUM: Record<Phase, number> = { A: 1, B: 2, C: 3 };

export function createGridSolver(model: FeederModel): GridSolver {
  const net = buildNetwork(model);
  const pf = createSolver(net, { tolerance: 1e-6, maxIterations: 60 });
  const topology = topologyOf(model);
  const lineNodes = new Map(model.lines.map((l) => [l.name, l.from.nodes]));
  return {
    topology,
    solve(input: SolveInput): SolveResult {
      const r = pf.solve({
        loadScale: input.loadScale,
        injections: input.injections.map((j) => ({ bus: j.bus, phases: j.phases.map((p) => NUM[p]), p_kW: j.p_kW, q_kvar: j.q_kvar })),
        switches: input.switches,
        sourcePu: input.sourcePu,
        faults: input.faults.map((f) => ({ bus: f.bus, kind: f.kind, phases: f.phases.map((p) => NUM[p]), ohms: f.ohms })),
        slackBuses: input.slacks.map((s) => ({ bus: s.bus, pu: s.pu, angleDeg: s.angleDeg })),
        controlMode: input.regulate ? 'auto' : 'fixed',
        warmStart: true,
      });
      const busV = new Map<string, PhasorTriple>();
      for (const b of topology.buses) {
        const t: PhasorTriple = { re: [NaN, NaN, NaN], im: [NaN, NaN, NaN] };
        for (let p = 1; p <= 3; p++) {
          const v = r.V(b.name, p);
          if (!v) continue;
          t.re[p - 1] = v.re;
          t.im[p - 1] = v.im;
        }
        busV.set(b.name, t);
      }
      const branchI = new Map<string, PhasorTriple>();
      for (const br of r.branches) {
        const nodes = lineNodes.get(br.name);
        if (!nodes) continue;
        const t: PhasorTriple = { re: [NaN, NaN, NaN], im: [NaN, NaN, NaN] };
        nodes.forEach((n, k) => {
          if (n < 1 || n > 3) return;
          t.re[n - 1] = br.closed ? br.currents[2 * k] : 0;
          t.im[n - 1] = br.closed ? br.currents[2 * k + 1] : 0;
        });
        branchI.set(br.name, t);
      }
      return { converged: true, iterations: r.iterations, busV, branchI, sourceKW: r.sourcePower.kW, sourceKvar: r.sourcePower.kvar, taps: r.taps };
    },
  };
}
