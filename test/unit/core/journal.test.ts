// The operator journal: an append-only hash chain that detects an edited or removed line and keeps the lines
// after a damaged one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlJournal } from '../../../main/core/journal';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exergy-journal-'));
  path = join(dir, 'journal.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fill = (n: number): JsonlJournal => {
  const j = new JsonlJournal(path);
  for (let i = 0; i < n; i++) j.append({ user: i % 2 ? 'ada' : 'aud', role: 'dso-operator', host: 'browser', channel: `ch.${i}`, outcome: 'ok', at: 1000 + i });
  return j;
};

describe('journal', () => {
  it('chains lines and survives a reload', () => {
    fill(5);
    const j = new JsonlJournal(path);
    expect(j.verify()).toEqual({ ok: true, lines: 5 });
    expect(j.query({ user: 'ada' }).map((l) => l.channel)).toEqual(['ch.1', 'ch.3']);
    expect(j.query({ from: 1003 }).length).toBe(2);
    expect(j.append({ user: 'x', role: 'admin', host: 'cli', channel: 'c', outcome: 'FORBIDDEN' }).seq).toBe(5);
  });

  it('detects an edited line', () => {
    fill(4);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    lines[2] = lines[2].replace('"outcome":"ok"', '"outcome":"FORBIDDEN"');
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(new JsonlJournal(path).verify()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects a removed line', () => {
    fill(4);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    lines.splice(1, 1);
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(new JsonlJournal(path).verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('keeps the lines after a garbled one and reports where', () => {
    fill(3);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    lines[1] = '{not json';
    writeFileSync(path, `${lines.join('\n')}\n`);
    const j = new JsonlJournal(path);
    expect(j.query({}).length).toBe(3);
    expect(j.verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
