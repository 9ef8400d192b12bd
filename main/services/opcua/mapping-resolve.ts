// Resolves a mapping against a live session: reads the namespace array (indexes change across restarts), turns
// nsu= NodeIds, browse paths and type-definition instances into NodeIds, and checks each is a Variable.
import { AttributeIds, BrowseDirection, NodeClass, NodeClassMask, NodeId as UaNodeId, resolveNodeId, type ClientSession, type NodeId, type BrowsePath } from 'node-opcua';
import type { SignalInfo } from '../../../shared/domain/signals';
import { isAppError } from '../../../shared/errors';
import type { Mapping } from './mapping-schema';
import { browsePathRequest, nodeIdToRef, parseBrowsePath, parseNodeRef, resolveNodeRef } from './node-ref';
import type { RateClass } from './settings';
import type { SignalCatalogue, SignalDraft } from './signal-catalogue';

export interface ResolvedItem {
  signal: SignalInfo;
  nodeId: NodeId;
  node: string; // nsu= form, for messages and health
  rate: RateClass;
}
export interface MappingIssue {
  entry: string; // what the mapping said (node, browse path or type)
  signal?: string; // the signal key it was meant to feed
  reason: string;
}
export interface Resolution {
  namespaces: string[];
  items: ResolvedItem[];
  issues: MappingIssue[];
}

interface Pending {
  draft: SignalDraft;
  rate: RateClass;
  entry: string;
  nodeId?: NodeId;
  path?: BrowsePath;
}

export async function resolveMapping(session: ClientSession, m: Mapping, cat: SignalCatalogue): Promise<Resolution> {
  const namespaces = await session.readNamespaceArray();
  const issues: MappingIssue[] = [];
  const pending: Pending[] = [];
  const fail = (entry: string, reason: string, signal?: string) => issues.push(signal ? { entry, signal, reason } : { entry, reason });
  const objects = resolveNodeId('ObjectsFolder');
  const root = resolveNodeId('RootFolder');

  for (const s of m.signals) {
    const { node, browsePath, rate, ...info } = s;
    const entry = node ?? browsePath ?? '';
    const p: Pending = { draft: info, rate: rate ?? m.defaultRate, entry };
    try {
      if (node) p.nodeId = resolveNodeRef(parseNodeRef(node), namespaces);
      else p.path = browsePathRequest(root, parseBrowsePath(browsePath!), m.namespaces, namespaces, `browse path ${browsePath}`);
      pending.push(p);
    } catch (e) {
      fail(entry, (e as Error).message, s.key);
    }
  }

  for (const t of m.types) {
    let typeId: NodeId, start: NodeId;
    try {
      typeId = resolveNodeRef(parseNodeRef(t.type), namespaces);
      start = t.root ? resolveNodeRef(parseNodeRef(t.root), namespaces) : objects;
    } catch (e) {
      fail(t.type, (e as Error).message);
      continue;
    }
    const instances = await findInstances(session, start, typeId, t.maxDepth);
    if (instances.length === 0) fail(t.type, `no instance of type ${t.type} under ${t.root ?? 'Objects'}`);
    for (const inst of instances) {
      for (const s of t.signals) {
        const { path, rate, ...measure } = s;
        const entry = `${t.type} instance ${inst.name} path ${path}`;
        try {
          const bp = browsePathRequest(inst.nodeId, parseBrowsePath(`/${path}`), m.namespaces, namespaces, entry);
          pending.push({ draft: { kind: t.kind, element: inst.name, ...measure }, rate: rate ?? m.defaultRate, entry, path: bp });
        } catch (e) {
          fail(entry, (e as Error).message);
        }
      }
    }
  }

  const withPath = pending.filter((p) => p.path);
  if (withPath.length) {
    const results = await session.translateBrowsePath(withPath.map((p) => p.path!));
    results.forEach((r, i) => {
      const target = r.targets?.[0]?.targetId;
      if (r.statusCode.isGood() && target) withPath[i].nodeId = plain(target);
      else fail(withPath[i].entry, `browse path not found on the server (${r.statusCode.name})`);
    });
  }
  const found = pending.filter((p) => p.nodeId);
  const classes = found.length ? await session.read(found.map((p) => ({ nodeId: p.nodeId!, attributeId: AttributeIds.NodeClass }))) : [];
  const items: ResolvedItem[] = [];
  found.forEach((p, i) => {
    const dv = classes[i];
    const node = nodeIdToRef(p.nodeId!, namespaces);
    if (!dv.statusCode.isGood()) return fail(p.entry, `node ${node}: ${dv.statusCode.name}`);
    if (dv.value.value !== NodeClass.Variable) return fail(p.entry, `node ${node} has NodeClass ${NodeClass[dv.value.value as number]}, not Variable`);
    try {
      const signal = cat.register(p.draft);
      const dup = items.find((x) => x.signal.id === signal.id);
      if (dup) return fail(p.entry, `node ${node} maps to signal ${signal.key}, which ${dup.node} already feeds`, signal.key);
      items.push({ signal, nodeId: p.nodeId!, node, rate: p.rate });
    } catch (e) {
      fail(p.entry, isAppError(e) ? e.message : String(e));
    }
  });
  return { namespaces, items, issues };
}

/** Breadth-first walk of hierarchical references collecting Objects whose type definition is `typeId`. */
async function findInstances(session: ClientSession, start: NodeId, typeId: NodeId, maxDepth: number) {
  const out: Array<{ nodeId: NodeId; name: string }> = [];
  const seen = new Set<string>([start.toString()]);
  let level: NodeId[] = [start];
  for (let depth = 0; depth < maxDepth && level.length; depth++) {
    const next: NodeId[] = [];
    for (let i = 0; i < level.length; i += 200) {
      const batch = level.slice(i, i + 200);
      const results = await session.browse(
        batch.map((nodeId) => ({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, nodeClassMask: NodeClassMask.Object, resultMask: 0x3f })),
      );
      for (const r of results) {
        const refs = [...(r.references ?? [])];
        let cp = r.continuationPoint;
        while (cp && cp.length) {
          const more = await session.browseNext(cp, false);
          refs.push(...(more.references ?? []));
          cp = more.continuationPoint;
        }
        for (const ref of refs) {
          const id = plain(ref.nodeId);
          const k = id.toString();
          if (seen.has(k)) continue;
          seen.add(k);
          const td = ref.typeDefinition;
          if (td && td.namespace === typeId.namespace && String(td.value) === String(typeId.value)) out.push({ nodeId: id, name: ref.browseName.name ?? k });
          next.push(id);
        }
      }
    }
    level = next;
  }
  return out;
}

/** An ExpandedNodeId from a response as a plain NodeId (servers answer with local namespace indexes). */
function plain(x: NodeId): NodeId {
  return new UaNodeId(x.identifierType, x.value, x.namespace);
}
