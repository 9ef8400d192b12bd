// Binding the browser host beyond loopback is refused unless TLS and per-user login are both configured; the
// refusal names what is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../../main/core';
import { startBrowserHost } from '../../../main/host/server';
import { isAppError } from '../../../shared/errors';

let core: Core;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exergy-bind-'));
  core = await startCore({ host: 'browser', dataDir: dir, plugins: false });
});
afterAll(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bind policy', () => {
  it('refuses 0.0.0.0 without TLS and named users, naming both', async () => {
    const e = await startBrowserHost(core, { rendererDir: dir, port: 0, bind: '0.0.0.0' }).catch((x: unknown) => x);
    expect(isAppError(e, 'SECURITY')).toBe(true);
    expect((e as Error).message).toMatch(/host\.tls/);
    expect((e as Error).message).toMatch(/auth\.mode: users/);
  });

  it('still refuses with named users but no TLS', async () => {
    core.settings.put('auth', { mode: 'users' });
    const e = await startBrowserHost(core, { rendererDir: dir, port: 0, bind: '0.0.0.0' }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/host\.tls/);
    expect((e as Error).message).not.toMatch(/auth\.mode/);
  });

  it('listens on loopback by default', async () => {
    const h = await startBrowserHost(core, { rendererDir: dir, port: 0 });
    expect(h.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await h.close();
  });
});
