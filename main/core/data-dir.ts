// The per-user data folder (config, logs, db, keys, chain) and its lock: one running instance per folder, so two
// consoles never write the same journal, historian or chain state. A stale lock (dead pid) is taken over.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';

export interface DataDir {
  root: string;
  config: string;
  logs: string;
  db: string;
  keys: string;
  chain: string;
}

/** The default data folder follows each platform's convention; EXERGY_DATA overrides it. */
export function defaultDataRoot(): string {
  if (process.env.EXERGY_DATA) return resolve(process.env.EXERGY_DATA);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Exergy Console');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Exergy Console');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'exergy-console');
}

export function prepareDataDir(root = defaultDataRoot()): DataDir {
  const abs = resolve(root);
  const dir: DataDir = { root: abs, config: join(abs, 'config'), logs: join(abs, 'logs'), db: join(abs, 'db'), keys: join(abs, 'keys'), chain: join(abs, 'chain') };
  for (const p of Object.values(dir)) mkdirSync(p, { recursive: true, mode: 0o700 });
  return dir;
}

export interface DataLock {
  path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Takes the folder's lock or throws CONFLICT naming the running instance. */
export function lockDataDir(dir: DataDir): DataLock {
  const path = join(dir.root, 'exergy.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        try {
          const cur = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
          if (cur.pid === process.pid) rmSync(path, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { path, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string; startedAt?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        /* half-written lock: treat as stale */
      }
      const sameHost = !holder.host || holder.host === hostname();
      if (holder.pid && holder.pid !== process.pid && (!sameHost || alive(holder.pid))) {
        throw new AppError('CONFLICT', `data folder ${dir.root} is in use by another Exergy Console (pid ${holder.pid}${sameHost ? '' : ` on ${holder.host}`}, since ${holder.startedAt ?? '?'}); stop it or choose another folder with --data`, { lock: path, pid: holder.pid });
      }
      if (existsSync(path)) rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new AppError('CONFLICT', `could not take the lock ${path}`, { lock: path });
}
