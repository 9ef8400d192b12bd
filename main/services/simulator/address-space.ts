// The OPC UA address space: FeederType, BusType, PmuType, DerType and MicrogridType under our namespace, and one
// instance per element with AnalogItems (EngineeringUnits, EURange) whose node ids are the catalogue's signal keys.
import { DataType, makeEUInformation, standardUnits, type Namespace, type UAObject, type UAObjectType, type UAVariable } from 'node-opcua';
import type { SimCatalog } from './catalog';

type EU = ReturnType<typeof makeEUInformation>;
const UNITS: Record<string, EU> = {
  V: standardUnits.volt,
  deg: standardUnits.degree,
  A: standardUnits.ampere,
  Hz: standardUnits.hertz,
  kW: standardUnits.kilowatt,
  '%': standardUnits.percent,
  'Hz/s': makeEUInformation('Hz/s', 'Hz/s', 'hertz per second'),
  kvar: makeEUInformation('kvar', 'kvar', 'kilovolt-ampere reactive'),
  pu: makeEUInformation('p.u.', 'pu', 'per unit of nominal'),
  MWs: makeEUInformation('MW·s', 'MWs', 'megawatt second'),
};
const RANGES: Record<string, [number, number]> = { V: [0, 1e5], deg: [-180, 180], A: [0, 1e5], Hz: [0, 100], 'Hz/s': [-100, 100], kW: [-1e5, 1e5], kvar: [-1e5, 1e5], pu: [0, 2], '%': [0, 100], MWs: [0, 1e7] };

export interface SimNodes {
  objects: Map<string, UAObject>; // "pmu/PMU_150", "der/PV_64", "microgrid/MG1", "feeder/ieee123", "bus/150"
  vars: Map<string, UAVariable>; // by signal key, and extra keys for non-catalogue points
  types: Record<'FeederType' | 'BusType' | 'PmuType' | 'DerType' | 'MicrogridType', UAObjectType>;
}

function addTypeVar(ns: Namespace, type: UAObjectType, name: string, unit: string, dataType: 'Double' | 'Int32' | 'UInt32' | 'Boolean' | 'String'): void {
  if (dataType === 'Double' && UNITS[unit]) {
    const [low, high] = RANGES[unit];
    ns.addAnalogDataItem({ componentOf: type, browseName: name, dataType: 'Double', modellingRule: 'Mandatory', engineeringUnits: UNITS[unit], engineeringUnitsRange: { low, high } });
  } else ns.addVariable({ componentOf: type, browseName: name, dataType, modellingRule: 'Mandatory' });
}

const PMU_FIELDS: Array<[string, string]> = ['A', 'B', 'C'].flatMap((p) => [[`V${p}_mag`, 'V'], [`V${p}_ang`, 'deg']] as Array<[string, string]>).concat(['A', 'B', 'C'].flatMap((p) => [[`I${p}_mag`, 'A'], [`I${p}_ang`, 'deg']] as Array<[string, string]>), [['Frequency', 'Hz'], ['RoCoF', 'Hz/s']]);

export function buildAddressSpace(ns: Namespace, catalog: SimCatalog): SimNodes {
  const as = ns.addressSpace;
  const mk = (browseName: string, description: string) => ns.addObjectType({ browseName, description });
  const types = {
    FeederType: mk('FeederType', 'A distribution feeder: its substation source, frequency of the bulk system, scenario control'),
    BusType: mk('BusType', 'A feeder bus: per-phase voltage magnitude in p.u.'),
    PmuType: mk('PmuType', 'A phasor measurement unit: per-phase V and I phasors, frequency, RoCoF, status (C37.118 STAT-like)'),
    DerType: mk('DerType', 'A distributed energy resource with IEEE 1547-2018 categories'),
    MicrogridType: mk('MicrogridType', 'A microgrid behind a PCC breaker with an ANSI 25 sync-check relay'),
  };
  for (const [n, u] of PMU_FIELDS) addTypeVar(ns, types.PmuType, n, u, 'Double');
  addTypeVar(ns, types.PmuType, 'Status', '', 'UInt32');
  for (const [n, u] of [['P', 'kW'], ['Q', 'kvar'], ['SoC', '%']]) addTypeVar(ns, types.DerType, n, u, 'Double');
  addTypeVar(ns, types.DerType, 'Status', '', 'Int32');
  addTypeVar(ns, types.DerType, 'Category', '', 'String');
  addTypeVar(ns, types.DerType, 'TripCause', '', 'String');
  for (const [n, u] of [['PccP', 'kW'], ['Frequency', 'Hz'], ['KineticEnergy', 'MWs'], ['SyncDf', 'Hz'], ['SyncDv', '%'], ['SyncDphi', 'deg']]) addTypeVar(ns, types.MicrogridType, n, u, 'Double');
  addTypeVar(ns, types.MicrogridType, 'GridConnect', '', 'Int32');
  addTypeVar(ns, types.MicrogridType, 'PccBreaker', '', 'Boolean');
  addTypeVar(ns, types.MicrogridType, 'LastResult', '', 'String');
  for (const p of ['A', 'B', 'C']) addTypeVar(ns, types.BusType, `V${p}`, 'pu', 'Double');
  for (const [n, u] of [['SourceP', 'kW'], ['SourceQ', 'kvar'], ['Frequency', 'Hz'], ['KineticEnergy', 'MWs']]) addTypeVar(ns, types.FeederType, n, u, 'Double');
  addTypeVar(ns, types.FeederType, 'Catalog', '', 'String');
  addTypeVar(ns, types.FeederType, 'LastEvent', '', 'String');

  const objects = new Map<string, UAObject>();
  const vars = new Map<string, UAVariable>();
  const root = ns.addFolder(as.rootFolder.objects, { browseName: 'Exergy', nodeId: 's=Exergy' });
  const folder = (name: string) => ns.addFolder(root, { browseName: name, nodeId: `s=folder/${name}` });
  const folders = { pmu: folder('PMUs'), der: folder('DERs'), microgrid: folder('Microgrids'), bus: folder('Buses') };
  const obj = (key: string, browseName: string, type: UAObjectType, organizedBy: UAObject) => {
    const o = ns.addObject({ browseName, nodeId: `s=${key}`, typeDefinition: type, organizedBy });
    objects.set(key, o);
    return o;
  };
  const feeder = obj(`feeder/${catalog.feeder.name}`, catalog.feeder.name, types.FeederType, root);
  for (const p of catalog.pmus) obj(`pmu/${p.name}`, p.name, types.PmuType, folders.pmu);
  for (const d of catalog.ders) obj(`der/${d.name}`, d.name, types.DerType, folders.der);
  for (const m of catalog.microgrids) obj(`microgrid/${m.name}`, m.name, types.MicrogridType, folders.microgrid);
  for (const b of catalog.feeder.buses) obj(`bus/${b.name}`, b.name, types.BusType, folders.bus);
  const regFolder = folder('Regulators');
  for (const s of catalog.signals) if (s.kind === 'regulator') objects.set(`regulator/${s.element}`, ns.addObject({ browseName: s.element, nodeId: `s=regulator/${s.element}`, organizedBy: regFolder }));

  for (const s of catalog.signals) {
    const parent = objects.get(`${s.kind}/${s.element}`)!;
    const dataType = s.quantity === 'status' ? (s.kind === 'pmu' ? DataType.UInt32 : DataType.Int32) : s.quantity === 'gridConnect' || s.quantity === 'tap' ? DataType.Int32 : s.quantity === 'breaker' ? DataType.Boolean : DataType.Double;
    const nodeId = `s=${s.key}`;
    let v: UAVariable;
    if (dataType === DataType.Double && UNITS[s.unit]) {
      const [low, high] = RANGES[s.unit];
      v = ns.addAnalogDataItem({ componentOf: parent, browseName: s.field, nodeId, dataType: 'Double', engineeringUnits: UNITS[s.unit], engineeringUnitsRange: { low, high } });
    } else v = ns.addVariable({ componentOf: parent, browseName: s.field, nodeId, dataType });
    vars.set(s.key, v);
  }
  // Points outside the telemetry catalogue: sync-check readings, texts, the catalogue itself.
  const extra = (parent: UAObject, key: string, browseName: string, dataType: DataType, unit?: string) => {
    const opts = { componentOf: parent, browseName, nodeId: `s=${key}` };
    const v = unit ? ns.addAnalogDataItem({ ...opts, dataType: 'Double', engineeringUnits: UNITS[unit], engineeringUnitsRange: { low: RANGES[unit][0], high: RANGES[unit][1] } }) : ns.addVariable({ ...opts, dataType });
    vars.set(key, v);
  };
  for (const m of catalog.microgrids) {
    const o = objects.get(`microgrid/${m.name}`)!;
    extra(o, `microgrid/${m.name}/syncDf`, 'SyncDf', DataType.Double, 'Hz');
    extra(o, `microgrid/${m.name}/syncDv`, 'SyncDv', DataType.Double, '%');
    extra(o, `microgrid/${m.name}/syncDphi`, 'SyncDphi', DataType.Double, 'deg');
    extra(o, `microgrid/${m.name}/lastResult`, 'LastResult', DataType.String);
  }
  for (const d of catalog.ders) {
    const o = objects.get(`der/${d.name}`)!;
    extra(o, `der/${d.name}/category`, 'Category', DataType.String);
    extra(o, `der/${d.name}/tripCause`, 'TripCause', DataType.String);
  }
  extra(feeder, 'feeder/catalog', 'Catalog', DataType.String);
  extra(feeder, 'feeder/lastEvent', 'LastEvent', DataType.String);
  const bf = folder('Breakers');
  for (const br of catalog.feeder.branches) if (/^sw/i.test(br.name) || catalog.microgrids.some((m) => m.pccBranch === br.name)) {
    const v = ns.addVariable({ componentOf: bf, browseName: br.name, nodeId: `s=breaker/${br.name}`, dataType: DataType.Boolean });
    vars.set(`breaker/${br.name}`, v);
  }
  return { objects, vars, types };
}
