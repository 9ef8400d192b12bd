// The feeder simulator end to end over OPC UA: one real server on port 0 runs a scripted grey-sky timeline faster
// than real time, and a plain node-opcua client checks frequency, faults, DER ride-through and microgrids against
// references derived here (closed-form swing response, feeder impedances, IEEE 1547-2018 default tables).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeIds, BrowseDirection, DataType, MessageSecurityMode, resolveNodeId, OPCUAClient, SecurityPolicy, StatusCodes, UserTokenType } from 'node-opcua';
import { DerStatus } from '../../../shared/domain/signals';
import { loadFeeder } from '../../../main/services/feeders/load-feeder';
import { stepResponse, slope } from './closed-form';
import { clientCertificates, Rig } from './harness';

const TIMELINE = `
name: grey-sky integration timeline
events:
  - { type: bulkLoss, at: 2, mw: 500 }
  - { type: fault, at: 22, bus: '65', kind: SLG, phases: [A], ohms: 0.1, durationS: 0.1 }
  - { type: sourceSag, at: 24, pu: 0.35, durationS: 1 }
  - { type: switch, at: 25.5, branch: L63, closed: false }
  - { type: island, at: 30.5, microgrid: MG1 }
  - { type: island, at: 30.5, microgrid: MG2 }
  - { type: island, at: 30.5, microgrid: MG3 }
`;
// Each microgrid's one grid-forming unit, with the inertia the test gives it.
const ISLANDS = [
  { mg: 'MG1', pmu: 'PMU_135', unit: 'BESS_MG1', h: 2, sMVA: 0.8, droop: 0.04, tg: 0.5 },
  { mg: 'MG2', pmu: 'PMU_197', unit: 'DIESEL_105', h: 4, sMVA: 0.6, droop: 0.05, tg: 1 },
  { mg: 'MG3', pmu: 'PMU_87', unit: 'CHP_89', h: 8, sMVA: 0.4, droop: 0.05, tg: 1 },
];
const BULK = { f0: 60, sMVA: 10_000, h: 5, droop: 0.05, damping: 1, tgS: 4, agcTauS: 0 };
const DERS = ['BESS_MG1', 'PV_49', 'DIESEL_105', 'PV_108', 'CHP_89', 'BESS_91', 'PV_64', 'PV_28', 'WIND_76', 'PV_52'];
const rig = new Rig();

beforeAll(async () => {
  // Paused until every item is watched: on a loaded machine the subscription can take longer than the 2 s of
  // simulated time (0.25 s of wall time at speed 8) before the scripted event, and the pre-event window is judged.
  await rig.start({
    paused: true,
    speed: 8,
    seed: 7,
    scenarioText: TIMELINE,
    overrides: {
      ambient: false,
      bulk: BULK,
      ders: {
        BESS_MG1: { h: 2 },
        DIESEL_105: { h: 4, abnormalCategory: 'III' },
        CHP_89: { h: 8, abnormalCategory: 'III' },
        PV_52: { abnormalCategory: 'III', settings: { uv2: { level: 0.5, clearS: 0.5 } } },
      },
      microgrids: { MG1: { loadDamping: 0 }, MG2: { loadDamping: 0 }, MG3: { loadDamping: 0 } },
    },
  });
  await rig.watch([
    'pmu/PMU_150/freq', 'pmu/PMU_150/rocof',
    ...['PMU_150', 'PMU_13', 'PMU_18', 'PMU_60', 'PMU_65', 'PMU_97', 'PMU_86'].flatMap((p) => ['A', 'B', 'C'].map((ph) => `pmu/${p}/Vmag.${ph}`)),
    'pmu/PMU_65/status',
    ...ISLANDS.flatMap((i) => [`pmu/${i.pmu}/freq`, `microgrid/${i.mg}/P`, `microgrid/${i.mg}/syncDf`, `microgrid/${i.mg}/syncDphi`, `microgrid/${i.mg}/gridConnect`]),
    ...DERS.flatMap((d) => [`der/${d}/status`, `der/${d}/tripCause`]),
  ]);
  rig.resume();
}, 180_000);

afterAll(async () => {
  await rig.stop();
});

describe('simulator over OPC UA', () => {
  it('bulk loss of generation: initial RoCoF, nadir and settled deviation match the closed form (PMU noise and window on)', async () => {
    await rig.waitSim(22);
    const cf = stepResponse({ f0: 60, h: BULK.h, droop: BULK.droop, damping: BULK.damping, tg: BULK.tgS, dP: 500 / BULK.sMVA });
    const f = rig.series('pmu/PMU_150/freq', 1, 22);
    expect(f.length).toBeGreaterThan(1000); // 60 frames/s, every one delivered
    const pre = f.filter((s) => s.t < 2);
    expect(Math.abs(pre.reduce((a, s) => a + s.v, 0) / pre.length - 60)).toBeLessThan(0.001);
    // Initial RoCoF: fit over 100-400 ms after the event, against the closed form over the same window.
    const w = f.filter((s) => s.t >= 2.1 && s.t <= 2.4);
    const measured = slope(w.map((s) => s.t), w.map((s) => s.v));
    const ref = slope(w.map((s) => s.t), w.map((s) => 60 + cf.df(s.t - 2)));
    expect(measured / ref).toBeGreaterThan(0.95);
    expect(measured / ref).toBeLessThan(1.05);
    expect(measured / cf.initialRocof).toBeGreaterThan(0.85); // the governor has barely moved yet
    const rocof = rig.series('pmu/PMU_150/rocof', 2.1, 2.4);
    expect(rocof.reduce((a, s) => a + s.v, 0) / rocof.length / cf.initialRocof).toBeGreaterThan(0.85);
    // Nadir and its time.
    const low = f.reduce((m, s) => (s.v < m.v ? s : m), f[0]);
    expect(Math.abs(low.v - 60 - cf.nadir)).toBeLessThan(0.005);
    expect(Math.abs(low.t - 2 - cf.nadirTime)).toBeLessThan(0.4);
    // Settled deviation: the closed form's asymptote, and its exact value over the last two seconds.
    const tail = f.filter((s) => s.t >= 20 && s.t < 22);
    const mean = tail.reduce((a, s) => a + s.v, 0) / tail.length - 60;
    const refTail = tail.reduce((a, s) => a + cf.df(s.t - 2), 0) / tail.length;
    expect(Math.abs(mean - refTail)).toBeLessThan(0.002);
    expect(Math.abs(mean - cf.settled)).toBeLessThan(0.01);
  });

  it('a fault at a bus gives a sag whose depth falls with electrical distance, on the faulted phase', async () => {
    await rig.waitSim(22.5);
    // Electrical distance from the source: |Z_AA| summed along the feeder path, from the feeder model itself.
    const model = loadFeeder('ieee123');
    const adj = new Map<string, Array<{ to: string; z: number }>>();
    const link = (a: string, b: string, z: number) => {
      for (const [x, y] of [[a, b], [b, a]]) adj.set(x.toLowerCase(), [...(adj.get(x.toLowerCase()) ?? []), { to: y.toLowerCase(), z }]);
    };
    for (const l of model.lines) {
      if (!l.closed) continue;
      const k = l.from.nodes.indexOf(1);
      link(l.from.bus, l.to.bus, k < 0 ? 0 : Math.hypot(l.z[2 * (k * l.phases + k)], l.z[2 * (k * l.phases + k) + 1]));
    }
    for (const t of model.transformers) link(t.windings[0].bus, t.windings[1].bus, 0);
    const dist = new Map<string, number>([[model.source.bus.toLowerCase(), 0]]);
    const prev = new Map<string, string>();
    const queue = [model.source.bus.toLowerCase()];
    while (queue.length) {
      const u = queue.shift()!;
      for (const e of adj.get(u) ?? []) {
        if (dist.has(e.to)) continue;
        dist.set(e.to, dist.get(u)! + e.z);
        prev.set(e.to, u);
        queue.push(e.to);
      }
    }
    const path = new Set<string>();
    for (let b: string | undefined = '65'; b; b = prev.get(b)) path.add(b);
    const pmus: Array<[string, string]> = [['PMU_150', '150r'], ['PMU_13', '13'], ['PMU_18', '18'], ['PMU_60', '60'], ['PMU_65', '65'], ['PMU_97', '97'], ['PMU_86', '86']];
    const depth = (p: string, ph = 'A') => 1 - rig.at(`pmu/${p}/Vmag.${ph}`, 22.06) / rig.at(`pmu/${p}/Vmag.${ph}`, 21.9);
    const onPath = pmus.filter(([, b]) => path.has(b)).sort((a, b) => dist.get(a[1])! - dist.get(b[1])!);
    expect(onPath.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < onPath.length; i++) expect(depth(onPath[i][0])).toBeGreaterThan(depth(onPath[i - 1][0]) + 0.02);
    expect(depth('PMU_65')).toBeGreaterThan(0.5); // a bolted SLG at the bus itself
    for (const [p] of pmus.filter(([, b]) => !path.has(b))) expect(depth(p)).toBeLessThan(depth('PMU_65'));
    // Phase pattern of an SLG on A: the healthy phases stay up.
    expect(depth('PMU_65', 'B')).toBeLessThan(0.2);
    expect(depth('PMU_65', 'C')).toBeLessThan(0.2);
    // Cleared after 0.1 s.
    expect(1 - rig.at('pmu/PMU_65/Vmag.A', 22.4) / rig.at('pmu/PMU_65/Vmag.A', 21.9)).toBeLessThan(0.05);
  });

  it('DERs cease or trip per their category and settings (IEEE 1547-2018 UV2 defaults, one overridden)', async () => {
    await rig.waitSim(26);
    // Test's own reading of Tables 11-13: UV2 pickup/clearing per abnormal category, and the override given above.
    const UV2: Record<string, { level: number; clearS: number }> = { I: { level: 0.45, clearS: 0.16 }, II: { level: 0.45, clearS: 0.16 }, III: { level: 0.5, clearS: 2 } };
    const catalog = JSON.parse(String((await rig.read('feeder/catalog')).value)) as { ders: Array<{ name: string; abnormalCategory: string }> };
    for (const name of DERS) {
      const cat = catalog.ders.find((d) => d.name === name)!.abnormalCategory;
      const uv2 = name === 'PV_52' ? { level: 0.5, clearS: 0.5 } : UV2[cat];
      const st = rig.series(`der/${name}/status`, 23.9, 26);
      const tripped = st.find((s) => s.v === DerStatus.Tripped);
      const ceased = st.find((s) => s.v === DerStatus.MomentaryCessation);
      expect(ceased, `${name} ceases at the sag`).toBeDefined();
      expect(Math.abs(ceased!.t - 24)).toBeLessThan(0.03);
      if (uv2.clearS < 1) {
        expect(tripped, `${name} (cat ${cat}) trips`).toBeDefined();
        expect(Math.abs(tripped!.t - 24 - uv2.clearS)).toBeLessThan(0.03);
        expect(rig.rawAt(`der/${name}/tripCause`, 25.5)).toBe('UV2');
      } else {
        expect(tripped, `${name} (cat ${cat}) rides through`).toBeUndefined();
        const back = st.find((s) => s.t > 24.5 && s.v === DerStatus.Running);
        expect(back, `${name} restores output`).toBeDefined();
        expect(Math.abs(back!.t - 25)).toBeLessThan(0.03);
      }
    }
  });

  it('an unintentional island trips its DER within 2 s, and the dead section goes Bad', async () => {
    await rig.waitSim(29.5);
    const trip = rig.series('der/PV_64/status', 25.5, 29.5).find((s) => s.v === DerStatus.Tripped);
    expect(trip).toBeDefined();
    expect(rig.rawAt('der/PV_64/tripCause', 29.4)).toBe('island');
    expect(trip!.t - 25.5).toBeLessThanOrEqual(2.0 + 0.01);
    expect(trip!.t - 25.5).toBeGreaterThan(1.5);
    // The PMU's STAT word flags its data invalid once the section is dead (notified on change).
    expect(rig.at('pmu/PMU_65/status', 25.4)).toBe(0);
    expect(rig.at('pmu/PMU_65/status', 29.4) & 0x8000).toBe(0x8000);
    const f = await rig.session.read({ nodeId: rig.id('pmu/PMU_65/freq'), attributeId: AttributeIds.Value });
    expect(f.statusCode.isBad()).toBe(true);
  });

  it('an islanded microgrid follows its own inertia (H = 2, 4, 8 s)', async () => {
    await rig.waitSim(32.5);
    const per: number[] = [];
    const cat = JSON.parse(String((await rig.read('feeder/catalog')).value)) as { pmus: Array<{ name: string; groupDelayS: number }> };
    for (const i of ISLANDS) {
      const gd = cat.pmus.find((p) => p.name === i.pmu)!.groupDelayS; // the PMU's declared estimator delay
      const pImport = rig.at(`microgrid/${i.mg}/P`, 30.49) / 1000; // MW at the PCC just before it opens (islanded at 30.5; regulators last moved at 30)
      expect(pImport).toBeGreaterThan(0.05);
      const cf = stepResponse({ f0: 60, h: i.h, droop: i.droop, damping: 0, tg: i.tg, dP: pImport / i.sMVA });
      const f = rig.series(`pmu/${i.pmu}/freq`, 30, 32.5);
      const f30 = rig.at(`pmu/${i.pmu}/freq`, 30.49);
      const w = f.filter((s) => s.t >= 30.58 && s.t <= 30.75);
      const measured = slope(w.map((s) => s.t), w.map((s) => s.v));
      const ref = slope(w.map((s) => s.t), w.map((s) => f30 + cf.df(s.t - 30.5 - gd)));
      expect(measured / ref, i.mg).toBeGreaterThan(0.9);
      expect(measured / ref, i.mg).toBeLessThan(1.1);
      // The whole first 1.5 s follows this island's own second-order response (nadir included).
      for (const s of f.filter((x) => x.t >= 30.6 && x.t <= 32)) expect(Math.abs(s.v - f30 - cf.df(s.t - 30.5 - gd)), `${i.mg} at ${s.t}`).toBeLessThan(0.03);
      per.push((measured * 2 * i.h * i.sMVA) / pImport); // = -f0 for every island if its own H·S sets the RoCoF
    }
    for (const x of per) expect(Math.abs(x / -60 - 1)).toBeLessThan(0.15);
  });

  it('the PCC refuses to reconnect outside the sync limits, naming the quantity, and closes inside them', async () => {
    await rig.waitSim(32);
    const refused = await rig.call('microgrid/MG2', 'Reconnect');
    expect(refused.status).toEqual(StatusCodes.BadRequestNotAllowed);
    expect(refused.text).toMatch(/frequency difference -?\d+\.\d+ Hz exceeds 0\.2 Hz/);
    expect(refused.text).toMatch(/1547/);
    expect(String((await rig.read('microgrid/MG2/lastResult')).value)).toMatch(/frequency/);
    // The microgrid controller starts synchronising 5 s after islanding; wait until the relay's inputs are inside.
    const end = Date.now() + 90_000;
    for (;;) {
      const t = rig.simNow();
      const df = rig.at('microgrid/MG2/syncDf', t), dphi = rig.at('microgrid/MG2/syncDphi', t);
      if (t > 36.5 && Math.abs(df) < 0.05 && Math.abs(dphi) < 3) break;
      if (Date.now() > end) throw new Error(`never synchronised: df ${df} dphi ${dphi} at ${t}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ok = await rig.call('microgrid/MG2', 'Reconnect');
    expect(ok.status).toEqual(StatusCodes.Good);
    await rig.waitSim(rig.simNow() + 2);
    expect(rig.at('microgrid/MG2/gridConnect', rig.simNow())).toBe(0);
    expect(Math.abs(rig.at('pmu/PMU_197/freq', rig.simNow()) - rig.at('pmu/PMU_150/freq', rig.simNow()))).toBeLessThan(0.01);
  });

  it('bad method arguments and bad scenarios get a Bad status naming the field, never a crash', async () => {
    const d = await rig.call('der/PV_28', 'Dispatch', [{ dataType: DataType.Double, value: 9999 }, { dataType: DataType.Double, value: 10 }, { dataType: DataType.Double, value: 5 }]);
    expect(d.status).toEqual(StatusCodes.BadOutOfRange);
    expect(d.text).toMatch(/^p_kW: 9999 outside/);
    expect(d.argResults.map((s) => s.name)).toEqual(['BadOutOfRange', 'Good', 'Good']);
    const nan = await rig.call('der/PV_28', 'Dispatch', [{ dataType: DataType.Double, value: 50 }, { dataType: DataType.Double, value: NaN }, { dataType: DataType.Double, value: -1 }]);
    expect(nan.status).toEqual(StatusCodes.BadOutOfRange);
    expect(nan.text).toMatch(/q_kvar.*seconds/);
    const good = await rig.call('der/PV_28', 'Dispatch', [{ dataType: DataType.Double, value: 50 }, { dataType: DataType.Double, value: 10 }, { dataType: DataType.Double, value: 2 }]);
    expect(good.status).toEqual(StatusCodes.Good);
    const sc = await rig.call('feeder/ieee123', 'LoadScenario', [{ dataType: DataType.String, value: 'events:\n  - type: bulkLoss\n    at: 1\n    mw: lots\n' }]);
    expect(sc.status).toEqual(StatusCodes.BadInvalidArgument);
    expect(sc.text).toMatch(/events\.0\.mw/);
    const yaml = await rig.call('feeder/ieee123', 'LoadScenario', [{ dataType: DataType.String, value: 'events: [\n  { type: fault,\n' }]);
    expect(yaml.status).toEqual(StatusCodes.BadInvalidArgument);
    expect(yaml.text).toMatch(/LoadScenario\.scenario:\d+/);
    const ev = await rig.call('feeder/ieee123', 'InjectEvent', [{ dataType: DataType.String, value: '{"type":"fault","bus":"65","kind":"XYZ","durationS":1}' }]);
    expect(ev.text).toMatch(/kind/);
    const unknownBus = await rig.call('feeder/ieee123', 'InjectEvent', [{ dataType: DataType.String, value: '{"type":"fault","bus":"nowhere","kind":"SLG","durationS":0.1}' }]);
    expect(unknownBus.status).toEqual(StatusCodes.BadInvalidArgument);
    expect(unknownBus.text).toMatch(/^bus:/);
    const speed = await rig.call('feeder/ieee123', 'SetSpeed', [{ dataType: DataType.Double, value: -3 }]);
    expect(speed.status).toEqual(StatusCodes.BadOutOfRange);
    expect(speed.text).toMatch(/^speed:/);
    // Roles: anonymous may read but not operate; an operator may not load scenarios.
    const anon = await rig.client.createSession();
    const denied = await rig.call('microgrid/MG1', 'Island', [], anon);
    expect(denied.status).toEqual(StatusCodes.BadUserAccessDenied);
    await anon.close();
    const op = await rig.client.createSession({ type: UserTokenType.UserName, userName: 'operator', password: 'op-secret' });
    expect((await rig.call('feeder/ieee123', 'ClearScenario', [], op)).status).toEqual(StatusCodes.BadUserAccessDenied);
    await op.close();
    expect((await rig.read('pmu/PMU_150/freq')).status.isGood()).toBe(true); // still serving
  });

  it('types, engineering units and the catalogue describe every signal; secure endpoints accept a user', async () => {
    const cat = JSON.parse(String((await rig.read('feeder/catalog')).value)) as { namespaceUri: string; signals: Array<{ key: string; nodeId: string; unit: string }> };
    expect(cat.namespaceUri).toBe('urn:exergy:simulator');
    expect(cat.signals.length).toBeGreaterThan(400);
    const sample = cat.signals.filter((_, i) => i % 25 === 0);
    const reads = await rig.session.read(sample.map((s) => ({ nodeId: s.nodeId, attributeId: AttributeIds.Value })));
    for (const r of reads) expect(r.statusCode.isBad() && r.statusCode.value === StatusCodes.BadNodeIdUnknown.value).toBe(false);
    const props = await rig.session.browse(rig.id('pmu/PMU_150/freq'));
    const euNode = props.references?.find((r) => r.browseName.name === 'EngineeringUnits')?.nodeId;
    expect(props.references?.some((r) => r.browseName.name === 'EURange')).toBe(true);
    expect(euNode).toBeDefined();
    const euVal = await rig.session.read({ nodeId: euNode!, attributeId: AttributeIds.Value });
    expect((euVal.value.value as { displayName: { text: string } }).displayName.text).toMatch(/Hz/);
    const refs = await rig.session.browse({ nodeId: rig.id('pmu/PMU_150'), referenceTypeId: resolveNodeId('HasTypeDefinition'), browseDirection: BrowseDirection.Forward, includeSubtypes: true, resultMask: 63 });
    const typeDef = refs.references?.[0];
    expect(typeDef).toBeDefined();
    const typeName = await rig.session.read({ nodeId: typeDef!.nodeId, attributeId: AttributeIds.BrowseName });
    expect((typeName.value.value as { name: string }).name).toBe('PmuType');

    for (const [policy, mode] of [[SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt], [SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.Sign]] as const) {
      const c = OPCUAClient.create({ endpointMustExist: false, securityPolicy: policy, securityMode: mode, clientCertificateManager: clientCertificates(), connectionStrategy: { maxRetry: 1 } });
      await c.connect(rig.h.endpointUrl);
      const s = await c.createSession({ type: UserTokenType.UserName, userName: 'operator', password: 'op-secret' });
      const v = await s.read({ nodeId: rig.id('pmu/PMU_150/freq'), attributeId: AttributeIds.Value });
      expect(v.statusCode.isGood()).toBe(true);
      await expect(c.createSession({ type: UserTokenType.UserName, userName: 'operator', password: 'wrong' })).rejects.toThrow();
      await s.close();
      await c.disconnect();
    }
  });
});
