// Starts the historian's writer thread: the bundled historian-worker.js when the app is built (electron-vite
// input 'historian-worker'), else the TypeScript source through tsx's CommonJS hook (development, tests, bench).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export function spawnWorker(path?: string): Worker {
  if (path) return new Worker(path);
  const here = dirname(fileURLToPath(import.meta.url));
  // bundled (electron-vite input 'historian-worker'): out/main/historian-worker.js, beside us or one chunk folder up
  for (const js of [join(here, 'historian-worker.js'), join(here, '..', 'historian-worker.js')]) if (existsSync(js)) return new Worker(js);
  // development and tests run TypeScript: load the worker through tsx's CommonJS hook
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(join(here, 'historian-worker.ts'))});`, { eval: true });
}
