// Settings: defaults on a fresh folder, errors that name the field and the allowed values, sections added by
// services, atomic persistence.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SettingsStore } from '../../../main/core/settings';
import { isAppError } from '../../../shared/errors';

let dir: string;
const fresh = (): SettingsStore => new SettingsStore((dir = mkdtempSync(join(tmpdir(), 'exergy-settings-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings', () => {
  it('writes defaults on a fresh folder', () => {
    const s = fresh();
    s.load();
    expect(s.get('host')).toMatchObject({ bind: '127.0.0.1', port: 7420 });
    expect(readFileSync(s.path, 'utf8')).toContain('port: 7420');
  });

  it('names the field and the allowed values of a bad enum', () => {
    const s = fresh();
    writeFileSync(s.path, 'log:\n  level: loud\n');
    let err: unknown;
    try {
      s.load();
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toContain('level');
    expect((err as Error).message).toContain('"fatal", "error", "warn", "info", "debug", "trace"');
  });

  it('names an out-of-range number and an unknown section', () => {
    const s = fresh();
    writeFileSync(s.path, 'host:\n  port: 70000\n');
    expect(() => s.load()).toThrow(/port/);
    writeFileSync(s.path, 'hots:\n  port: 1\n');
    expect(() => s.load()).toThrow(/unknown section hots \(allowed: host, auth, log, ledger\)/);
  });

  it('lets a service add its section and validates puts before saving', () => {
    const s = fresh();
    const sim = s.section('simulator', z.object({ feeder: z.enum(['ieee13', 'ieee123']).default('ieee13') }));
    s.load();
    expect(sim().feeder).toBe('ieee13');
    expect(() => s.put('simulator', { feeder: 'ieee999' })).toThrow(/feeder.*allowed: "ieee13", "ieee123"/);
    expect(sim().feeder).toBe('ieee13');
    s.put('simulator', { feeder: 'ieee123' });
    const again = new SettingsStore(dir);
    again.section('simulator', z.object({ feeder: z.string() }));
    again.load();
    expect(again.get<{ feeder: string }>('simulator').feeder).toBe('ieee123');
  });

  it('reports YAML syntax errors as PARSE_ERROR with the file', () => {
    const s = fresh();
    writeFileSync(s.path, 'host: [unclosed\n');
    expect(() => s.load()).toThrow(/settings\.yaml/);
  });
});
