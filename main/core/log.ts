// Logs: pino writing JSON lines to <data>/logs/core.log, rotated by size (core.log.1 … .N) so a long-running
// control-room console never fills its disk. Synchronous writes: a crash must not lose the line that explains it.
import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export interface RotatingFile {
  write(line: string): void;
  close(): void;
}

export function rotatingFile(path: string, maxBytes = 10 * 1024 * 1024, keep = 5): RotatingFile {
  let fd = openSync(path, 'a', 0o600);
  let size = fstatSync(fd).size;
  const rotate = (): void => {
    closeSync(fd);
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a', 0o600);
    size = 0;
  };
  return {
    write(line: string) {
      const buf = Buffer.from(line);
      if (size > 0 && size + buf.length > maxBytes) rotate();
      writeSync(fd, buf);
      size += buf.length;
    },
    close() {
      closeSync(fd);
    },
  };
}

export function createLogger(logsDir: string, level = 'info', name = 'core'): { log: Logger; close(): void } {
  const file = rotatingFile(join(logsDir, `${name}.log`));
  const log = pino({ level, base: { pid: process.pid, proc: name } }, { write: (s: string) => file.write(s) });
  return { log, close: () => file.close() };
}
