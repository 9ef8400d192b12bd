// The DSS reader: lexical rules (RPN, matrices, comments, continuations, case-insensitive redirects) and refusal of
// bad files with their file and line.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors';
import { loadDssModel } from '../../../shared/grid/build-model';
import { readDss } from '../../../shared/grid/dss-reader';
import { evalRpn, parseParams, toNumbers } from '../../../shared/grid/dss-tokens';

const files = (m: Record<string, string>) => (p: string) => Object.entries(m).find(([k]) => k.toLowerCase() === p.toLowerCase())?.[1];

const HEAD = [
  'Clear',
  'New Circuit.t basekv=4.16 bus1=a pu=1.0 r1=0 x1=0.001 r0=0 x0=0.001',
  'New LineCode.c1 nphases=3 units=kft',
  '~ rmatrix=(0.1 | 0.02 0.1 | 0.02 0.02 0.1)',
  '~ xmatrix=[0.2 | 0.05 0.2 | 0.05 0.05 0.2]',
].join('\n');

function refused(text: string, extra: Record<string, string> = {}): { file: unknown; line: unknown; message: string } {
  try {
    loadDssModel('bad.dss', files({ 'bad.dss': text, ...extra }));
  } catch (e) {
    if (isAppError(e, 'PARSE_ERROR')) return { file: e.info?.file, line: e.info?.line, message: e.message };
    throw e;
  }
  throw new Error('file was accepted');
}

describe('DSS tokens', () => {
  it('evaluates in-line RPN and reads lower-triangular matrices', () => {
    expect(evalRpn('(0.00625  7  * 1 +)')).toBeCloseTo(1.04375, 12);
    expect(evalRpn('(8 1000 /)')).toBe(0.008);
    expect(toNumbers('(0.3465 | 0.1560 0.3375 | 0.1580 0.1535 0.3414 )')).toEqual([0.3465, 0.156, 0.3375, 0.158, 0.1535, 0.3414]);
    expect(parseParams('rmatrix = (1 | 2 3) kVs=[2.4  2.4] conns=\'wye wye\'')).toEqual([
      { name: 'rmatrix', value: '(1 | 2 3)' }, { name: 'kvs', value: '2.4  2.4' }, { name: 'conns', value: 'wye wye' },
    ]);
  });

  it('skips ! and // comments and /* */ blocks, joins ~ continuations, follows redirects case-insensitively', () => {
    const doc = readDss('m.dss', files({
      'm.dss': [HEAD, '/* block', 'New Frob.x', '*/', 'Redirect Sub/LOADS.DSS ! comment', 'New Line.l1 bus1=a bus2=b linecode=c1 length=1 units=kft // tail'].join('\n'),
      'Sub/loads.dss': 'New Load.x bus1=b.1 phases=1 kv=2.4 kw=10\n~ kvar=5',
    }));
    const load = doc.objects.find((o) => o.cls === 'load');
    expect(load?.props.map((p) => p.name)).toEqual(['bus1', 'phases', 'kv', 'kw', 'kvar']);
    expect(load?.at).toEqual({ file: 'Sub/LOADS.DSS', line: 1 }); // the path as the script wrote it
    expect(doc.objects.map((o) => o.cls)).toEqual(['circuit', 'linecode', 'load', 'line']);
  });

  it('converts line code units (ohms per kft, line in ft) like OpenDSS', () => {
    const m = loadDssModel('m.dss', files({ 'm.dss': `${HEAD}\nNew Line.l1 bus1=a bus2=b linecode=c1 length=500 units=ft` }));
    expect(m.lines[0].z[0]).toBeCloseTo(0.05, 12); // 0.1 ohm/kft * 0.5 kft
  });
});

describe('bad DSS files are refused with file and line', () => {
  it('unknown element class', () => {
    const r = refused(`${HEAD}\nNew Generator.g1 bus1=a kw=100`);
    expect(r).toMatchObject({ file: 'bad.dss', line: 6 });
    expect(r.message).toMatch(/unsupported element class "generator"/);
  });

  it('missing line code', () => {
    const r = refused(`${HEAD}\n\nNew Line.l1 bus1=a bus2=b linecode=nope length=1`);
    expect(r).toMatchObject({ file: 'bad.dss', line: 7 });
    expect(r.message).toMatch(/line code "nope" is not defined/);
  });

  it('dangling bus (a load on a bus nothing connects to the source)', () => {
    const r = refused(`${HEAD}\nNew Line.l1 bus1=a bus2=b linecode=c1\nNew Load.x bus1=island.1 phases=1 kv=2.4 kw=5`);
    expect(r).toMatchObject({ file: 'bad.dss', line: 7 });
    expect(r.message).toMatch(/bus "island" is dangling/);
  });

  it('unknown property, unknown command, bad number, missing redirect target — in the file where they occur', () => {
    expect(refused(`${HEAD}\nNew Load.x bus1=a kw=1 colour=red`)).toMatchObject({ line: 6 });
    expect(refused(`${HEAD}\nFrobnicate now`)).toMatchObject({ line: 6 });
    expect(refused(`${HEAD}\nNew Line.l1 bus1=a bus2=b linecode=c1 length=abc`)).toMatchObject({ line: 6 });
    expect(refused(`${HEAD}\nRedirect nowhere.dss`)).toMatchObject({ file: 'bad.dss', line: 6 });
    expect(refused(`${HEAD}\nRedirect inc.dss`, { 'INC.DSS': '\n\nNew Load.y bus1=a kw=1 bogus=1' })).toMatchObject({ file: 'inc.dss', line: 3 });
  });
});
