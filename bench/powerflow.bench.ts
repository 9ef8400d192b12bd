// Power-flow throughput on the IEEE 123-node feeder (cold and warm-started, one core) and the largest errors
// against the published solutions (123-node RDAP table and totals, 13-node GridLAB-D reference).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedersDir, loadFeeder } from '../main/services/feeders/load-feeder';
import { IEEE123_NODE_ALIASES, IEEE123_PUBLISHED_TAPS, IEEE123_PUBLISHED_TOTALS, IEEE13_PUBLISHED_TAPS } from '../shared/grid/ieee-published';
import { buildNetwork } from '../shared/grid/network';
import { createSolver } from '../shared/grid/solver';
import { IEEE123_EXCEPTIONS } from '../test/unit/grid/ieee123-exceptions';
import { median, percentile, report, time } from './lib';

async function main(): Promise<void> {
  const bench = 'powerflow';
  const model = loadFeeder('ieee123');
  const net = buildNetwork(model);

  const load = await time(() => buildNetwork(loadFeeder('ieee123')), 7, 1);
  report({ bench, name: 'ieee123 read DSS + build network', value: median(load), unit: 'ms', runs: load.length });

  // cold: a new solver each time (ordering, factorisation, flat start)
  const cold = await time(() => createSolver(net, { controlMode: 'fixed' }).solve({ taps: IEEE123_PUBLISHED_TAPS }), 40, 5);
  report({ bench, name: 'ieee123 cold solve (new solver, flat start)', value: 1000 / median(cold), unit: 'solves/s', p95: 1000 / percentile(cold, 95), runs: cold.length, note: `median ${median(cold).toFixed(2)} ms` });

  // warm: the simulator's loop: same solver, loads and a DER changing every tick
  const pf = createSolver(net, { controlMode: 'fixed' });
  pf.solve({ taps: IEEE123_PUBLISHED_TAPS });
  let k = 0;
  const warm = await time(() => { k++; return pf.solve({ loadScale: 0.9 + 0.2 * ((k * 37) % 100) / 100, injections: [{ bus: '76', p_kW: 100 + (k % 7) * 20, q_kvar: 0 }], warmStart: true }); }, 300, 20);
  report({ bench, name: 'ieee123 warm solve (loads + DER change each tick)', value: 1000 / median(warm), unit: 'solves/s', p95: 1000 / percentile(warm, 95), runs: warm.length, note: `median ${median(warm).toFixed(3)} ms` });

  // topology change each tick (switch toggles force a refactorisation)
  const topo = await time(() => { k++; return pf.solve({ switches: { Sw7: k % 2 === 0 }, warmStart: true }); }, 60, 4);
  report({ bench, name: 'ieee123 solve with a switch toggled each tick', value: 1000 / median(topo), unit: 'solves/s', runs: topo.length });
  const fault = await time(() => pf.solve({ faults: [{ bus: '60', kind: 'SLG', phases: [1], ohms: 0.01 }] }), 40, 4);
  report({ bench, name: 'ieee123 SLG fault solve', value: 1000 / median(fault), unit: 'solves/s', runs: fault.length });
  const auto = await time(() => createSolver(net).solve({ controlMode: 'auto' }), 10, 2);
  report({ bench, name: 'ieee123 cold solve with automatic regulators', value: median(auto), unit: 'ms', runs: auto.length });

  // accuracy against the published 123-node solution
  const r = createSolver(net, { controlMode: 'fixed' }).solve({ taps: IEEE123_PUBLISHED_TAPS });
  const exempt = new Set(IEEE123_EXCEPTIONS.flatMap((e) => e.rows));
  let dv = 0, da = 0, dvAt = '', daAt = '';
  for (const line of readFileSync(join(feedersDir(), 'ieee123', 'IEEE123_published_voltages.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [node, ph, v, a] = line.split(',');
    if (exempt.has(`${node}.${ph}`)) continue;
    const bus = IEEE123_NODE_ALIASES[node] ?? node, p = 'ABC'.indexOf(ph) + 1;
    const e = Math.abs(r.vPu(bus, p) - Number(v)), f = Math.abs(((r.angleDeg(bus, p) - Number(a) + 540) % 360) - 180);
    if (e > dv) { dv = e; dvAt = `${node}.${ph}`; }
    if (f > da) { da = f; daAt = `${node}.${ph}`; }
  }
  report({ bench, name: 'ieee123 largest |dV| vs published', value: dv, unit: 'pu', note: `at ${dvAt}; limit 0.002` });
  report({ bench, name: 'ieee123 largest |dθ| vs published', value: da, unit: 'deg', note: `at ${daAt}; limit 0.5` });
  const rel = (x: number, y: number) => (100 * (x - y)) / y;
  report({ bench, name: 'ieee123 feeder-head kW error', value: rel(r.sourcePower.kW, IEEE123_PUBLISHED_TOTALS.kW), unit: '%', note: `${r.sourcePower.kW.toFixed(3)} vs 3620.498` });
  report({ bench, name: 'ieee123 feeder-head kvar error', value: rel(r.sourcePower.kvar, IEEE123_PUBLISHED_TOTALS.kvar), unit: '%', note: `${r.sourcePower.kvar.toFixed(3)} vs 1324.765` });
  report({ bench, name: 'ieee123 losses error', value: rel(r.losses.kW, IEEE123_PUBLISHED_TOTALS.lossKW), unit: '%', note: `${r.losses.kW.toFixed(3)} vs 95.611` });

  // 13-node vs GridLAB-D reference (volts, complex difference)
  const r13 = createSolver(buildNetwork(loadFeeder('ieee13')), { controlMode: 'fixed' }).solve({ taps: IEEE13_PUBLISHED_TAPS });
  let worst13 = 0, at13 = '';
  for (const line of readFileSync(join(feedersDir(), 'ieee13', 'IEEE13_reference_voltages_gridlabd_autotest.csv'), 'utf8').trim().split('\n').slice(1)) {
    const c = line.split(','), p = 'ABC'.indexOf(c[2]) + 1, base = Number(c[6]);
    const m = r13.vPu(c[1], p) * base, a = (r13.angleDeg(c[1], p) * Math.PI) / 180, b = (Number(c[4]) * Math.PI) / 180;
    const d = Math.hypot(m * Math.cos(a) - Number(c[3]) * Math.cos(b), m * Math.sin(a) - Number(c[3]) * Math.sin(b));
    if (d > worst13) { worst13 = d; at13 = `${c[1]}.${c[2]} (tol ${c[5]} V)`; }
  }
  report({ bench, name: 'ieee13 largest |dV| vs GridLAB-D reference', value: worst13, unit: 'V', note: `at ${at13}` });
}

void main();
