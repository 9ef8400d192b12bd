// The simulator the core starts when no OPC UA endpoint is configured: a child process on a free loopback port,
// with a per-start service account for the core's command session, and a reader for its self-describing catalogue.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AttributeIds, MessageSecurityMode, OPCUAClient, SecurityPolicy } from 'node-opcua';
import { AppError } from '../../../shared/errors';
import type { SimCatalog } from '../simulator/catalog';
import { startSimulatorProcess, type SimulatorProcess } from '../simulator/process';

export const CATALOG_NAMESPACE = 'urn:exergy:simulator';

export interface EmbeddedSimulator {
  sim: SimulatorProcess;
  endpointUrl: string;
  user: { username: string; password: string };
  pkiDir: string;
}

export interface EmbeddedOptions {
  feeder?: string;
  speed?: number;
  seed?: number;
}

/** Starts the simulator child; the account it gets may call the operator and engineer methods (scenarios). */
export async function startEmbeddedSimulator(pkiRoot: string, o: EmbeddedOptions = {}): Promise<EmbeddedSimulator> {
  // a fresh password each start: the account lives only as long as this child process
  const user = { username: 'exergy-core', password: randomBytes(18).toString('base64url') };
  const pkiDir = join(pkiRoot, 'simulator');
  const sim = await startSimulatorProcess({
    feeder: o.feeder ?? 'ieee123',
    port: 0,
    host: '127.0.0.1',
    ...(o.speed ? { speed: o.speed } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    pkiDir,
    users: [{ user: user.username, password: user.password, roles: ['operator', 'engineer'] }],
  });
  return { sim, endpointUrl: sim.endpointUrl, user, pkiDir };
}

/**
 * Reads a server's catalogue variable (`nsu=urn:exergy:simulator;s=feeder/catalog`, a JSON SimCatalog). Any server
 * exposing this node is mapped from it without code; others need a mapping file.
 */
export async function readCatalog(endpointUrl: string, timeoutMs = 15_000): Promise<SimCatalog> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { maxRetry: 3, initialDelay: 200, maxDelay: 1000 },
    requestedSessionTimeout: timeoutMs,
  });
  try {
    await client.connect(endpointUrl);
    const session = await client.createSession();
    try {
      const ns = (await session.readNamespaceArray()).indexOf(CATALOG_NAMESPACE);
      if (ns < 0) throw new AppError('NOT_FOUND', `${endpointUrl}: no namespace ${CATALOG_NAMESPACE}; give this connection a mapping file`);
      const dv = await session.read({ nodeId: `ns=${ns};s=feeder/catalog`, attributeId: AttributeIds.Value });
      const text = dv.value.value as unknown;
      if (typeof text !== 'string') throw new AppError('NOT_FOUND', `${endpointUrl}: feeder/catalog is not a string (${dv.statusCode.name})`);
      try {
        return JSON.parse(text) as SimCatalog;
      } catch (e) {
        throw new AppError('PARSE_ERROR', `${endpointUrl}: feeder/catalog is not JSON: ${(e as Error).message}`);
      }
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}
