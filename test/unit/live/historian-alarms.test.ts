// The historian's own faults reach the operator's alarm list: raised → unacknowledged active, cleared → returned
// to normal, each code its own alarm, whatever the code is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmFeed } from '../../../main/services/live/alarm-feed';
import { Historian } from '../../../main/services/historian';
import type { SimCatalog } from '../../../main/services/simulator/catalog';

const cat: SimCatalog = {
  namespaceUri: 'urn:exergy:simulator',
  feeder: { name: 'ieee123', sourceBus: '150', f0: 60, buses: [], branches: [] },
  pmus: [],
  ders: [],
  microgrids: [],
  signals: [],
} as unknown as SimCatalog;

describe('historian faults as operator alarms', () => {
  let historian: Historian;
  afterAll(async () => historian?.close());

  it('raises and clears one alarm per historian code', async () => {
    historian = await Historian.open(mkdtempSync(join(tmpdir(), 'exergy-hist-alarms-')));
    const pushed: unknown[] = [];
    const feed = new AlarmFeed(cat, [], [], historian, (b) => pushed.push(b));
    feed.historianFault({ code: 'HISTORIAN_DISK_FULL', severity: 'critical', state: 'raised', message: 'history.db: disk full; buffering in memory', t: 1000 });
    let a = feed.list(1000).alarms.find((x) => x.id === 'historian/HISTORIAN_DISK_FULL');
    expect(a).toMatchObject({ state: 'UNACK_ACTIVE', priority: 'high', source: 'historian' });
    feed.historianFault({ code: 'HISTORIAN_RAW_DROPPED', severity: 'warning', state: 'raised', message: 'raw samples dropped', t: 1500 });
    expect(feed.list(1500).alarms.find((x) => x.id === 'historian/HISTORIAN_RAW_DROPPED')?.priority).toBe('medium');
    feed.historianFault({ code: 'HISTORIAN_DISK_FULL', severity: 'critical', state: 'cleared', message: 'space is back', t: 2000 });
    a = feed.list(2000).alarms.find((x) => x.id === 'historian/HISTORIAN_DISK_FULL');
    expect(a?.state).toBe('UNACK_RTN');
  });
});
