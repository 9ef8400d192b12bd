// Child process for the killed-mid-write test: writes simulated frames forever, printing "ACK <instants>" after
// each flush that reports everything committed. The parent SIGKILLs it at an arbitrary moment.
import { Historian } from '../../../main/services/historian/historian';
import { frames, type SimSpec } from './pmu-sim';

async function main(): Promise<void> {
  const [dir, t0] = process.argv.slice(2);
  const spec: SimSpec = { t0: Number(t0), signals: 8, rate: 60 };
  const h = await Historian.open(dir, { commitIntervalMs: 50 });
  let at = 0;
  for (;;) {
    for (const f of frames(spec, at, at + 600, 60)) h.write(f);
    at += 600;
    const r = await h.flush();
    if (r.committed) process.stdout.write(`ACK ${at}\n`);
  }
}
void main();
