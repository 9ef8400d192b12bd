// The simulator as the core runs it: a forked child process that reports its endpoint over IPC, serves a plain
// client, reports bad options as error data naming the field, and exits cleanly when asked.
import { afterAll, describe, expect, it } from 'vitest';
import { AttributeIds, OPCUAClient } from 'node-opcua';
import { startSimulatorProcess, type SimulatorProcess } from '../../../main/services/simulator/process';
import { isAppError } from '../../../shared/errors';
import { PKI } from './harness';

let sim: SimulatorProcess | undefined;
afterAll(async () => {
  await sim?.stop();
});

describe('startSimulatorProcess', () => {
  it('forks the server, returns a listening endpoint and stops it', async () => {
    sim = await startSimulatorProcess({ port: 0, pkiDir: PKI, speed: 4, overrides: { ambient: true } }, 120_000);
    expect(sim.endpointUrl).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1 } });
    await client.connect(sim.endpointUrl);
    const s = await client.createSession();
    const ns = (await s.readNamespaceArray()).indexOf('urn:exergy:simulator');
    expect(ns).toBeGreaterThan(0);
    const cat = await s.read({ nodeId: `ns=${ns};s=feeder/catalog`, attributeId: AttributeIds.Value });
    expect(JSON.parse(String(cat.value.value)).microgrids.length).toBeGreaterThanOrEqual(3);
    const f = await s.read({ nodeId: `ns=${ns};s=pmu/PMU_150/freq`, attributeId: AttributeIds.Value });
    expect(Math.abs(Number(f.value.value) - 60)).toBeLessThan(0.5);
    await s.close();
    await client.disconnect();
    await sim.stop();
    expect(sim.process.exitCode).toBe(0);
  });

  it('refuses bad options with an error naming the field, before forking anything', async () => {
    const err = await startSimulatorProcess({ port: 0, pkiDir: PKI, overrides: { ders: { NO_SUCH_DER: { h: 3 } } } }, 120_000).catch((e: unknown) => e);
    expect(isAppError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toMatch(/ders\.NO_SUCH_DER/);
  });
});
