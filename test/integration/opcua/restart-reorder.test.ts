// The server is killed mid-stream (SIGKILL, a child process) and restarted with its namespace array reordered: the
// client reconnects, resolves nsu= NodeIds to the new indexes, resumes its subscriptions, and records the gap.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_NO_COMMUNICATION } from '../../../main/services/opcua/connection';
import { OpcuaService } from '../../../main/services/opcua/service';
import { collectRows, until, waitState } from './helpers';
import { forkPlantServer, PLANT_NS, startPlantServer, type PlantServer } from './plant-server';

const dir = mkdtempSync(join(tmpdir(), 'opcua-restart-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe('OPC UA server restart', () => {
  it('reconnects after a kill, re-resolves reordered namespaces, resumes and records the gap; items are created in chunks', async () => {
    const opts = { port: 0, pkiFolder: join(dir, 'server-pki'), pmus: 4, maxMonitoredItemsPerCall: 3 };
    const first = await forkPlantServer(opts);
    children.push(first.child);
    const svc = await OpcuaService.create({
      pkiFolder: join(dir, 'client-pki'),
      connections: [{
        id: 'sub1', endpoint: first.endpoint, securityPolicy: 'Aes256_Sha256_RsaPss', securityMode: 'SignAndEncrypt', reconnect: { initialDelayMs: 200, maxDelayMs: 1000 },
        mapping: { types: [{ type: `nsu=${PLANT_NS};s=PhasorUnitType`, kind: 'pmu', signals: [
          { path: 'p:Frequency', quantity: 'freq', unit: 'Hz', rate: 'pmu' },
          { path: 'p:VoltageMag', quantity: 'Vmag', unit: 'V', rate: 'pmu' },
        ] }], namespaces: { p: PLANT_NS }, signals: [{ kind: 'bus', element: 'M1', quantity: 'P', unit: 'kW', node: `nsu=${PLANT_NS};s=Meter.P` }] },
      }],
    });
    const rows = collectRows(svc);
    let second: PlantServer | undefined;
    const trusted = new Promise<void>((res) => svc.on('trust', (p) => void svc.trustCertificate(p.thumbprint).then(res)));
    try {
      svc.start();
      await trusted;
      const before = await waitState(svc, 'sub1', (s) => s.kind === 'connected');
      const idxBefore = before.kind === 'connected' ? before.namespaces.indexOf(PLANT_NS) : -1;
      const [pmu] = svc.subscriptions('sub1').filter((s) => s.rate === 'pmu');
      expect(pmu.items).toHaveLength(8);
      expect(pmu.chunkSize).toBeLessThanOrEqual(3);
      expect(pmu.createCalls).toBeGreaterThanOrEqual(3); // 8 items in chunks of <= 3
      const freq0 = svc.catalogue.byKeyOf('pmu/PMU_0/freq')!.id;
      await until(() => rows.filter((r) => r.signal === freq0).length > 5, 10_000, 'values before the kill');

      first.child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitState(svc, 'sub1', (s) => s.kind === 'reconnecting', 15_000);
      // The restart runs in-process (same PKI, so the same certificate): a second child would cost ~20 s of startup.
      second = await startPlantServer({ ...opts, port: first.port, reorderNamespaces: true });
      const after = await waitState(svc, 'sub1', (s) => s.kind === 'connected', 30_000);
      const idxAfter = after.kind === 'connected' ? after.namespaces.indexOf(PLANT_NS) : -1;
      expect(idxAfter).not.toBe(idxBefore); // the same URI moved: only re-resolution finds the nodes again

      const marker = rows.findIndex((r) => r.signal === freq0 && r.status === BAD_NO_COMMUNICATION);
      expect(marker).toBeGreaterThan(0); // a break is written into the stream
      expect(Number.isNaN(rows[marker].value)).toBe(true);
      await until(() => rows.slice(marker).filter((r) => r.signal === freq0 && r.status === 0).length > 5, 15_000, 'values after the restart');
      expect(svc.catalogue.byKeyOf('pmu/PMU_0/freq')!.id).toBe(freq0); // same signal id across the restart

      const h = svc.health()[0];
      expect(h.gaps).toHaveLength(1);
      expect(h.gaps[0].from).toBeGreaterThanOrEqual(killedAt - 1000);
      expect(h.gaps[0].to).toBeGreaterThan(h.gaps[0].from);
      const f0 = h.signals.find((s) => s.signal === freq0)!;
      expect(f0.gaps).toBeGreaterThanOrEqual(1);
      expect(f0.outOfOrder).toBe(0);
    } finally {
      await svc.stop();
      await second?.stop();
    }
  });
});
