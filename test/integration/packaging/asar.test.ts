// Packaging check without the Electron download: `electron-builder --dir` with a stub Electron dist (a file that
// carries a real fuse wire), then the asar's contents, the unpacked native module and anvil binary, and the fuses
// (RunAsNode, NODE_OPTIONS, inspect off) are read back. Needs `npm run build` first (npm test does that).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage, extractFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
// the fuse states as @electron/fuses writes them: '0' disabled, '1' enabled (its FuseState enum is not exported)
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
let work: string;
let app: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out', 'main', 'core.js'))) throw new Error('out/ is missing: run npm run build first');
  work = mkdtempSync(join(tmpdir(), 'exergy-pack-'));
  const dist = join(work, 'electron-dist');
  mkdirSync(dist);
  // a stand-in binary: Electron's fuse sentinel, wire version 1, 8 fuses, all enabled ('1') as Electron ships them
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho stub\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]), { mode: 0o755 });
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', '--x64', `-c.electronDist=${dist}`, '-c.npmRebuild=false', `-c.directories.output=${join(work, 'out')}`, '-c.electronVersion=45.5.0'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } });
  if (r.status !== 0) throw new Error(`electron-builder failed (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  app = join(work, 'out', 'linux-unpacked');
}, 300_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder --dir with a stub Electron', () => {
  it('packs the renderer, the preload, main, the core entry and package.json into app.asar', () => {
    const files = new Set(listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/')));
    for (const f of ['/package.json', '/out/main/electron.js', '/out/main/core.js', '/out/main/cli.js', '/out/preload/index.js', '/out/renderer/index.html']) expect(files.has(f), f).toBe(true);
    expect([...files].some((f) => /^\/out\/renderer\/assets\/index-.*\.js$/.test(f))).toBe(true);
    expect([...files].some((f) => f.startsWith('/node_modules/@deck.gl/')), 'renderer-only deps stay out').toBe(false);
    const pkg = JSON.parse(extractFile(join(app, 'resources', 'app.asar'), 'package.json').toString()) as { main: string };
    expect(pkg.main).toBe('out/main/electron.js');
  });

  it('unpacks the native sqlite module and the anvil binary (executable)', () => {
    const unpacked = join(app, 'resources', 'app.asar.unpacked', 'node_modules');
    expect(existsSync(join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    const anvil = join(unpacked, '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
    expect(existsSync(anvil)).toBe(true);
    expect(statSync(anvil).mode & 0o111).not.toBe(0);
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS, no --inspect, asar only', async () => {
    const bin = join(app, 'exergy-console');
    expect(readFileSync(bin).includes(SENTINEL)).toBe(true);
    const wire = await getCurrentFuseWire(bin);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  });
});
