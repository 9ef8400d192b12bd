// Synthetic island frequency from the swing equation with load damping and a delayed first-order governor,
// sampled by several PMUs with white frequency noise and a local inter-PMU swing: the inertia tests' reference.

export interface SwingCase {
  hS: number;
  sMva: number;
  f0: number;
  deltaPMw: number; // generation lost at tStepMs
  tStepMs: number;
  durationMs: number;
  fps: number;
  pmus: number;
  noiseHz: number; // white noise σ per PMU sample
  swingHz?: number; // amplitude of the local oscillation each PMU sees with its own phase
  seed?: number;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

/** Returns per-PMU series {id, t[], f[]} of the island's frequency. */
export function swing(c: SwingCase): Array<{ id: string; t: number[]; f: number[] }> {
  const r = rng(c.seed ?? 1);
  const dt = 0.001; // 1 ms integration
  const D = 1.0; // load damping, p.u. power per p.u. frequency
  const R = 0.05; // governor droop
  const Tg = 3.0; // governor time constant, s
  const delay = 0.5; // governor dead time, s
  const hist: number[] = [];
  let df = 0; // Hz deviation
  let pg = 0; // governor output, MW
  const series = Array.from({ length: c.pmus }, (_, i) => ({ id: `PMU${i + 1}`, t: [] as number[], f: [] as number[], phase: (2 * Math.PI * i) / c.pmus }));
  const step = 1000 / c.fps;
  let nextSample = 0;
  for (let k = 0; k * dt * 1000 <= c.durationMs; k++) {
    const tMs = k * dt * 1000;
    const lost = tMs >= c.tStepMs ? c.deltaPMw : 0;
    hist.push(df);
    const dfDelayed = hist.length > delay / dt ? hist[hist.length - 1 - Math.round(delay / dt)] : 0;
    pg += (dt * (-(dfDelayed / c.f0 / R) * c.sMva - pg)) / Tg;
    const pLoad = D * c.sMva * (df / c.f0);
    df += (dt * (c.f0 * (-lost + pg - pLoad))) / (2 * c.hS * c.sMva);
    if (tMs + 1e-9 >= nextSample) {
      const since = Math.max(0, (tMs - c.tStepMs) / 1000);
      for (const s of series) {
        const osc = tMs >= c.tStepMs ? (c.swingHz ?? 0) * Math.exp(-since / 1.5) * Math.sin(2 * Math.PI * 1.3 * since + s.phase) : 0;
        s.t.push(Math.round(tMs * 1000) / 1000);
        s.f.push(c.f0 + df + osc + c.noiseHz * gauss(r));
      }
      nextSample += step;
    }
  }
  return series.map(({ id, t, f }) => ({ id, t, f }));
}
