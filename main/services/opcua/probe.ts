// `exergy probe`: browse a server and draft a mapping file (nsu= NodeIds, guessed kind/quantity/unit) for a human
// to finish. Uses the same trust rules as the service: an unknown certificate is only accepted with `trust: true`.
import { AttributeIds, BrowseDirection, DataType, NodeClass, NodeClassMask, NodeId, OPCUAClient, resolveNodeId, type ClientSession, type ReferenceDescription } from 'node-opcua';
import { Document } from 'yaml';
import { AppError } from '../../../shared/errors';
import type { ElementKind, Quantity } from '../../../shared/domain/signals';
import { nodeIdToRef } from './node-ref';
import { TrustStore, type PendingTrust } from './pki';
import { checkUserToken, discoverEndpoints, mapUaError, selectEndpoint, uaMode, uaPolicy, userIdentity } from './security';
import type { SecurityModeName, SecurityPolicyName, UserTokenSettings } from './settings';

export interface ProbeOptions {
  endpoint: string;
  pkiFolder: string;
  securityPolicy: SecurityPolicyName;
  securityMode: SecurityModeName;
  user: UserTokenSettings;
  trust?: boolean; // accept (and pin) the server certificate if it is not trusted yet
  maxDepth?: number;
  maxNodes?: number;
}
export interface ProbeResult {
  namespaces: string[];
  trusted?: PendingTrust; // the certificate this probe trusted because of `trust: true`
  mapping: { namespaces: Record<string, string>; signals: Array<Record<string, unknown>> };
  guessed: number[]; // indexes of signals whose quantity could not be guessed from the name
  yaml: string;
}

const NUMERIC = new Set([DataType.Double, DataType.Float, DataType.Int16, DataType.Int32, DataType.Int64, DataType.UInt16, DataType.UInt32, DataType.UInt64, DataType.Byte, DataType.SByte, DataType.Boolean]);
const GUESS: Array<[RegExp, Quantity, string]> = [
  [/rocof/i, 'rocof', 'Hz/s'], [/freq/i, 'freq', 'Hz'], [/(volt|^v).*ang|vang/i, 'Vang', 'deg'], [/(curr|^i).*ang|iang/i, 'Iang', 'deg'],
  [/volt|vmag|^v[abc]?$|^v[abc]?[._]?mag/i, 'Vmag', 'V'], [/curr|imag|^i[abc]?$/i, 'Imag', 'A'], [/soc|stateofcharge/i, 'soc', '%'],
  [/reactive|kvar|^q$/i, 'Q', 'kvar'], [/active|kw$|^p$|power/i, 'P', 'kW'], [/tap/i, 'tap', ''], [/breaker/i, 'breaker', ''], [/island|gridconn/i, 'gridConnect', ''],
];
const KIND: Array<[RegExp, ElementKind]> = [[/pmu|phasor/i, 'pmu'], [/der|inverter|pv|battery|bess/i, 'der'], [/microgrid/i, 'microgrid'], [/breaker|recloser/i, 'breaker'], [/regulator/i, 'regulator'], [/feeder/i, 'feeder']];

export async function probeServer(o: ProbeOptions): Promise<ProbeResult> {
  const trust = await TrustStore.open(o.pkiFolder);
  let client: OPCUAClient | undefined;
  try {
    const eps = await discoverEndpoints(o.endpoint, trust, 10_000);
    const ep = selectEndpoint(eps, o.securityPolicy, o.securityMode, o.endpoint);
    checkUserToken(ep, o.user, o.endpoint);
    let trusted: PendingTrust | undefined;
    const pinId = `probe@${o.endpoint}`;
    const p = await trust.check(pinId, o.endpoint, ep.serverCertificate);
    if (p) {
      if (!o.trust) throw new AppError('SECURITY', `server certificate ${p.thumbprint} (${p.subject}) of ${o.endpoint} is ${p.reason === 'changed' ? 'different from the one trusted before' : 'not trusted'}; check it and run again with --trust`, { reason: p.reason, thumbprint: p.thumbprint });
      await trust.trustCertificate(pinId, ep.serverCertificate);
      trusted = p;
    }
    client = OPCUAClient.create({
      applicationName: 'ExergyConsole', applicationUri: trust.applicationUri, clientCertificateManager: trust.manager,
      certificateFile: trust.certificateFile, privateKeyFile: trust.privateKeyFile, securityMode: uaMode(o.securityMode),
      securityPolicy: uaPolicy(o.securityPolicy), serverCertificate: ep.serverCertificate, endpointMustExist: false,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    });
    await client.connect(o.endpoint);
    const session = await client.createSession(userIdentity(o.user));
    const namespaces = await session.readNamespaceArray();
    const vars = await browseVariables(session, o.maxDepth ?? 6, o.maxNodes ?? 5000);
    await session.close();
    const aliases: Record<string, string> = {};
    namespaces.slice(1).forEach((u, i) => (aliases[`ns${i + 1}`] = u));
    const signals: Array<Record<string, unknown>> = [];
    const guessed: number[] = [];
    for (const v of vars) {
      const q = GUESS.find(([re]) => re.test(v.name));
      const kind = KIND.find(([re]) => re.test(`${v.parentType} ${v.parent}`))?.[1] ?? 'bus';
      if (!q) guessed.push(signals.length);
      signals.push({ kind, element: v.parent, quantity: q?.[1] ?? 'status', unit: q?.[2] ?? '', rate: kind === 'pmu' ? 'pmu' : 'scada', node: nodeIdToRef(v.nodeId, namespaces) });
    }
    const mapping = { namespaces: Object.fromEntries(Object.entries(aliases).filter(([, u]) => u !== namespaces[1])), signals };
    const doc = new Document(mapping);
    doc.commentBefore = ` Draft mapping for ${o.endpoint} (exergy probe, ${new Date().toISOString()}).\n Check kind, element, quantity, unit and nominal of every entry before use.`;
    for (const i of guessed) (doc.getIn(['signals', i], true) as { commentBefore?: string }).commentBefore = ` TODO: quantity not recognised from "${vars[i].name}"`;
    return { namespaces, trusted, mapping, guessed, yaml: doc.toString() };
  } catch (e) {
    throw mapUaError(e, `probe ${o.endpoint}`);
  } finally {
    await client?.disconnect().catch(() => undefined);
    await trust.dispose();
  }
}

interface FoundVariable {
  nodeId: NodeId;
  name: string;
  parent: string;
  parentType: string;
}

async function browseVariables(session: ClientSession, maxDepth: number, maxNodes: number): Promise<FoundVariable[]> {
  const out: FoundVariable[] = [];
  const seen = new Set<string>();
  let level: Array<{ id: NodeId; name: string; type: string }> = [{ id: resolveNodeId('ObjectsFolder'), name: 'Objects', type: '' }];
  for (let d = 0; d < maxDepth && level.length && seen.size < maxNodes; d++) {
    const results = await session.browse(level.map((l) => ({ nodeId: l.id, browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable, resultMask: 0x3f })));
    const next: typeof level = [];
    const candidates: Array<{ ref: ReferenceDescription; parent: (typeof level)[number] }> = [];
    results.forEach((r, i) => {
      for (const ref of r.references ?? []) {
        const id = new NodeId(ref.nodeId.identifierType, ref.nodeId.value, ref.nodeId.namespace);
        if (id.namespace === 0 || seen.has(id.toString()) || seen.size >= maxNodes) continue; // ns 0 = the server's own diagnostics
        seen.add(id.toString());
        if (ref.nodeClass === NodeClass.Variable) candidates.push({ ref, parent: level[i] });
        next.push({ id, name: ref.browseName.name ?? '', type: ref.typeDefinition?.toString() ?? '' });
      }
    });
    if (candidates.length) {
      const types = await session.read(candidates.map((c) => ({ nodeId: new NodeId(c.ref.nodeId.identifierType, c.ref.nodeId.value, c.ref.nodeId.namespace), attributeId: AttributeIds.DataType })));
      candidates.forEach((c, i) => {
        const dt = types[i].value.value as NodeId | null;
        if (dt && dt.namespace === 0 && NUMERIC.has(Number(dt.value))) {
          out.push({ nodeId: new NodeId(c.ref.nodeId.identifierType, c.ref.nodeId.value, c.ref.nodeId.namespace), name: c.ref.browseName.name ?? '', parent: c.parent.name, parentType: c.parent.type });
        }
      });
    }
    level = next;
  }
  return out;
}
