// Turns a read DSS document into a FeederModel: resolves line codes and like=, assigns bus voltage bases from the
// source through the transformers, checks that every bus is reachable from the source, attaches coordinates.
import { parseError, readBusCoords, readDss, type DssDocument, type DssObject, type DssResolver, type SourceRef } from './dss-reader';
import { buildCapacitor, buildLine, buildLineCode, buildLoad, buildRegControl, buildSource, buildTransformer, expandLike, type ZData } from './dss-elements';
import { toNumber, toNumbers } from './dss-tokens';
import type { BusDef, FeederModel } from './feeder-model';

export function buildModel(doc: DssDocument): FeederModel {
  const byKey = new Map<string, DssObject>();
  for (const o of doc.objects) byKey.set(`${o.cls}.${o.name.toLowerCase()}`, o);
  const lookup = (cls: string, name: string, at: SourceRef): DssObject => {
    const o = byKey.get(`${cls}.${name.toLowerCase()}`);
    if (!o) throw parseError(at, `${cls} "${name}" is not defined`, { missing: `${cls}.${name}` });
    return o;
  };
  const circuit = doc.objects.find((o) => o.cls === 'circuit');
  if (!circuit) throw parseError({ file: '?', line: 0 }, 'no "New Circuit" in the script');
  const opt = (k: string) => doc.options[k]?.value;
  const freq = opt('defaultbasefrequency') ? toNumber(opt('defaultbasefrequency') as string) : 60;

  const codes = new Map<string, ZData>();
  const code = (name: string, p: { at: SourceRef }): ZData => {
    const key = name.toLowerCase();
    let c = codes.get(key);
    if (!c) {
      const o = byKey.get(`linecode.${key}`);
      if (!o) throw parseError(p.at, `line code "${name}" is not defined`, { missing: `linecode.${name}` });
      c = buildLineCode(o, expandLike(o, lookup), freq);
      codes.set(key, c);
    }
    return c;
  };
  const of = (cls: string) => doc.objects.filter((o) => o.cls === cls);
  const source = buildSource(expandLike(circuit, lookup));
  const lines = of('line').map((o) => buildLine(o, expandLike(o, lookup), freq, code));
  for (const op of doc.switchOps) {
    const l = lines.find((x) => x.name.toLowerCase() === op.name.toLowerCase());
    if (!l) throw parseError(op.at, `Open/Close supports lines and switches only`);
    l.closed = !op.open;
  }
  const transformers = of('transformer').map((o) => buildTransformer(o, expandLike(o, lookup)));
  const regulators = of('regcontrol').map((o) => {
    const r = buildRegControl(o, expandLike(o, lookup));
    const t = transformers.find((x) => x.name.toLowerCase() === r.transformer.toLowerCase());
    if (!t) throw parseError(r.at, `RegControl.${r.name}: transformer "${r.transformer}" is not defined`);
    r.transformer = t.name;
    return r;
  });
  const loads = of('load').map((o) => buildLoad(o, expandLike(o, lookup)));
  const capacitors = of('capacitor').map((o) => buildCapacitor(o, expandLike(o, lookup)));
  const voltageBases = opt('voltagebases') ? toNumbers(opt('voltagebases') as string) : [];
  const controlMode = (opt('controlmode') ?? 'static').toLowerCase() === 'off' ? 'off' : 'static';

  // Every bus, its phases and the first place it is mentioned (for the dangling-bus error).
  const buses = new Map<string, { name: string; phases: Set<number>; at: SourceRef }>();
  const touch = (name: string, nodes: number[], at: SourceRef) => {
    const k = name.toLowerCase();
    const b = buses.get(k) ?? { name, phases: new Set<number>(), at };
    for (const n of nodes) if (n > 0) b.phases.add(n);
    buses.set(k, b);
  };
  touch(source.bus, [1, 2, 3], circuit.at);
  for (const l of lines) { touch(l.from.bus, l.from.nodes, l.at); touch(l.to.bus, l.to.nodes, l.at); }
  for (const t of transformers) for (const w of t.windings) touch(w.bus, w.nodes.slice(0, t.phases), t.at);
  for (const x of [...loads, ...capacitors]) touch(x.bus, x.nodes, x.at);

  // Voltage bases: breadth-first from the source; a transformer scales by its winding ratio.
  const adj = new Map<string, { to: string; ratio: number }[]>();
  const link = (a: string, b: string, ratio: number) => {
    const ka = a.toLowerCase(), kb = b.toLowerCase();
    adj.set(ka, [...(adj.get(ka) ?? []), { to: kb, ratio }]);
    adj.set(kb, [...(adj.get(kb) ?? []), { to: ka, ratio: 1 / ratio }]);
  };
  for (const l of lines) link(l.from.bus, l.to.bus, 1);
  for (const t of transformers) {
    const [w1, w2] = t.windings;
    const v = (w: typeof w1) => (t.phases === 1 ? w.kV * Math.sqrt(3) : w.kV); // 1-phase kV is the coil (L-N) rating
    link(w1.bus, w2.bus, v(w2) / v(w1));
  }
  const kv = new Map<string, number>([[source.bus.toLowerCase(), source.basekV]]);
  const queue = [source.bus.toLowerCase()];
  while (queue.length) {
    const b = queue.shift() as string;
    for (const e of adj.get(b) ?? []) if (!kv.has(e.to)) { kv.set(e.to, (kv.get(b) as number) * e.ratio); queue.push(e.to); }
  }
  const snap = (x: number) => {
    let best = x, err = 0.15;
    for (const vb of voltageBases) if (Math.abs(vb - x) / vb < err) { best = vb; err = Math.abs(vb - x) / vb; }
    return best;
  };
  const busDefs: BusDef[] = [];
  for (const [k, b] of buses) {
    const base = kv.get(k);
    if (base === undefined) throw parseError(b.at, `bus "${b.name}" is dangling: no path to the source`, { bus: b.name });
    const xy = doc.busCoords.get(k);
    busDefs.push({ name: b.name, phases: [...b.phases].sort(), kVBase: snap(base), ...(xy ? { x: xy.x, y: xy.y } : {}) });
  }
  return { name: circuit.name, frequency: freq, source, buses: busDefs, lines, transformers, regulators, loads, capacitors, voltageBases, controlMode };
}

/** Reads and builds in one step. */
export function loadDssModel(file: string, resolve: DssResolver, coords?: { file: string; text: string }): FeederModel {
  const doc = readDss(file, resolve);
  if (coords) readBusCoords(coords.text, coords.file, doc.busCoords);
  return buildModel(doc);
}
