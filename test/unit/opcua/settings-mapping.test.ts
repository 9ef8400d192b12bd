// Settings and mapping files: deprecated policies refused by name, errors naming the connection, the file, the
// line and the entry; namespace-index NodeIds refused because indexes move when a server restarts.
import { describe, expect, it } from 'vitest';
import { parseMappingText } from '../../../main/services/opcua/mapping-schema';
import { parseBrowsePath, parseNodeRef, resolveNodeRef } from '../../../main/services/opcua/node-ref';
import { parseOpcuaSettings, queueSizeFor } from '../../../main/services/opcua/settings';
import { probeOptions } from '../../../main/cli/commands/probe';

const conn = (x: object) => ({ pkiFolder: '/tmp/pki', connections: [{ id: 'sub7', endpoint: 'opc.tcp://10.0.0.7:4840', mapping: {}, ...x }] });

describe('OPC UA settings', () => {
  it.each(['Basic128Rsa15', 'Basic256'])('refuses the deprecated policy %s with the connection and the reason', (p) => {
    expect(() => parseOpcuaSettings(conn({ securityPolicy: p }))).toThrow(new RegExp(`connections\\.0\\.securityPolicy \\(connection sub7\\): security policy ${p} is deprecated`));
  });
  it('defaults to Basic256Sha256 SignAndEncrypt, anonymous, and accepts any number of connections', () => {
    const s = parseOpcuaSettings({ pkiFolder: '/p', connections: [1, 2, 3].map((i) => ({ id: `c${i}`, endpoint: `opc.tcp://h${i}:4840`, mapping: 'm.yaml' })) });
    expect(s.connections).toHaveLength(3);
    expect(s.connections[0]).toMatchObject({ securityPolicy: 'Basic256Sha256', securityMode: 'SignAndEncrypt', user: { type: 'anonymous' } });
    expect(s.frameIntervalMs).toBe(50);
  });
  it('refuses a None policy with an encrypting mode, a bad endpoint and duplicate ids', () => {
    expect(() => parseOpcuaSettings(conn({ securityPolicy: 'None', securityMode: 'SignAndEncrypt' }))).toThrow(/None goes with None only/);
    expect(() => parseOpcuaSettings(conn({ endpoint: 'http://x' }))).toThrow(/endpoint must be opc\.tcp/);
    const c = conn({}).connections[0];
    expect(() => parseOpcuaSettings({ pkiFolder: '/p', connections: [c, c] })).toThrow(/duplicate connection id sub7/);
  });
  it('sizes PMU queues to hold two publishing intervals of samples', () => {
    expect(queueSizeFor({ publishingIntervalMs: 100, samplingIntervalMs: 0, sourcePeriodMs: 20 })).toBe(10);
    expect(queueSizeFor({ publishingIntervalMs: 1000, samplingIntervalMs: 1000, sourcePeriodMs: 1000 })).toBe(2);
  });
  it('probe takes the password from the environment only and refuses Basic256', () => {
    const o = { endpoint: 'opc.tcp://h:4840', security: 'Basic256Sha256:SignAndEncrypt', passwordEnv: 'PW', pki: '/p', depth: '6' };
    expect(() => probeOptions({ ...o, user: 'op' }, {})).toThrow(/environment variable PW/);
    expect(probeOptions({ ...o, user: 'op' }, { PW: 'x' }).user).toEqual({ type: 'username', username: 'op', password: 'x' });
    expect(() => probeOptions({ ...o, security: 'Basic256:Sign' }, {})).toThrow(/Basic256 is deprecated/);
  });
});

describe('OPC UA node references', () => {
  it('resolves nsu= against whatever index the namespace has today', () => {
    const r = parseNodeRef('nsu=urn:a;s=PMU_1.Freq');
    expect(resolveNodeRef(r, ['http://opcfoundation.org/UA/', 'urn:srv', 'urn:a', 'urn:b']).toString()).toBe('ns=2;s=PMU_1.Freq');
    expect(resolveNodeRef(r, ['http://opcfoundation.org/UA/', 'urn:srv', 'urn:b', 'urn:a']).toString()).toBe('ns=3;s=PMU_1.Freq');
    expect(() => resolveNodeRef(r, ['http://opcfoundation.org/UA/'])).toThrow(/node nsu=urn:a;s=PMU_1.Freq: namespace urn:a is not on the server/);
  });
  it('refuses index-based NodeIds outside namespace 0, and bad browse paths', () => {
    expect(() => parseNodeRef('ns=2;s=X')).toThrow(/indexes change .* nsu=<namespace URI>;s=X/);
    expect(parseNodeRef('i=85')).toEqual({ uri: null, id: 'i=85' });
    expect(() => parseBrowsePath('Objects/x')).toThrow(/must start at "\/"/);
    expect(parseBrowsePath('/Objects/p:Plant')).toEqual([{ alias: null, name: 'Objects' }, { alias: 'p', name: 'Plant' }]);
  });
});

describe('OPC UA mapping file', () => {
  it('names the file, the line, the entry and the reason', () => {
    const yaml = ['namespaces:', '  p: urn:a', 'signals:', '  - kind: pmu', '    element: PMU_1', '    quantity: frequency', '    unit: Hz', '    node: nsu=urn:a;s=F'].join('\n');
    expect(() => parseMappingText(yaml, 'feeder.yaml')).toThrow(/^feeder\.yaml:6: entry nsu=urn:a;s=F: signals\.0\.quantity: /);
  });
  it('reports YAML syntax errors with a line, and a missing node/browsePath', () => {
    expect(() => parseMappingText('signals:\n  - kind: [pmu\n', 'm.yaml')).toThrow(/^m\.yaml:\d+: /);
    expect(() => parseMappingText('signals:\n  - {kind: bus, element: B1, quantity: P, unit: kW}\n', 'm.yaml')).toThrow(/exactly one of node or browsePath/);
    expect(() => parseMappingText('signals:\n  - {kind: bus, element: B1, quantity: P, unit: kW, node: "ns=3;i=7"}\n', 'm.yaml')).toThrow(/m\.yaml:2: .*namespace indexes change/);
  });
  it('accepts JSON and all three ways of mapping', () => {
    const m = parseMappingText(JSON.stringify({
      namespaces: { p: 'urn:a' },
      signals: [{ kind: 'bus', element: 'B1', quantity: 'P', unit: 'kW', browsePath: '/Objects/p:Plant/p:P' }, { kind: 'pmu', element: 'X', quantity: 'freq', unit: 'Hz', rate: 'pmu', node: 'nsu=urn:a;i=5' }],
      types: [{ type: 'nsu=urn:a;s=PmuType', kind: 'pmu', signals: [{ path: 'p:Freq', quantity: 'freq', unit: 'Hz' }] }],
    }));
    expect(m.signals).toHaveLength(2);
    expect(m.types[0].maxDepth).toBe(6);
    expect(m.defaultRate).toBe('scada');
  });
});
