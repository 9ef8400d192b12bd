// Where the simulated devices sit on the IEEE 123-node feeder: PMUs, DERs of every kind and category, and three
// microgrids behind PCC breakers (Sw3, Sw5 and line L86), each with one grid-forming unit.
import type { DerConfig } from './der';
import { defaultSyncLimits, type SimConfig } from './config';

const der = (d: Partial<DerConfig> & Pick<DerConfig, 'name' | 'kind' | 'bus' | 'kVA'>): DerConfig => ({
  pMaxKW: d.kVA,
  pMinKW: d.kind === 'battery' ? -d.kVA : 0,
  qMaxKvar: 0.44 * d.kVA,
  normalCategory: 'B',
  abnormalCategory: 'III',
  gridForming: false,
  h: 0,
  droop: 0.05,
  tgS: 0.5,
  voltVar: true,
  pSetKW: d.kind === 'battery' ? 0 : d.kVA,
  ...d,
});

export function ieee123Config(): SimConfig {
  return {
    feeder: 'ieee123',
    // A regional bulk system: 10 GVA online, H 5 s, 5 % droop, D 1, governors 4 s (classic single-reheat-free model).
    bulk: { f0: 60, sMVA: 10_000, h: 5, droop: 0.05, damping: 1, tgS: 4, agcTauS: 60 },
    pmuRate: 60,
    pmus: [
      { name: 'PMU_150', bus: '150r', branch: 'Sw1' },
      { name: 'PMU_13', bus: '13', branch: 'Sw2' },
      { name: 'PMU_18', bus: '18', branch: 'Sw3' },
      { name: 'PMU_135', bus: '135', branch: 'L114' },
      { name: 'PMU_60', bus: '60', branch: 'Sw4' },
      { name: 'PMU_97', bus: '97', branch: 'Sw5' },
      { name: 'PMU_197', bus: '197', branch: 'L118' },
      { name: 'PMU_86', bus: '86', branch: 'L86' },
      { name: 'PMU_87', bus: '87', branch: 'L88' },
      { name: 'PMU_65', bus: '65' },
      { name: 'PMU_114', bus: '114' },
    ],
    pmuNoise: { magPct: 0.05, angDeg: 0.02, freqHz: 0.001 },
    pmuWindowS: 0.05,
    pfRateHz: 10,
    scadaPeriodS: 1,
    ders: [
      // MG1 behind Sw3: a grid-forming battery (virtual inertia) with PV.
      der({ name: 'BESS_MG1', kind: 'battery', bus: '47', kVA: 800, gridForming: true, h: 4, droop: 0.04, tgS: 0.5, pSetKW: 300, microgrid: 'MG1' }),
      der({ name: 'PV_49', kind: 'pv', bus: '49', kVA: 250, microgrid: 'MG1', pSetKW: 250 }),
      // MG2 behind Sw5: a diesel set (synchronous machine) with PV of Category A / II.
      der({ name: 'DIESEL_105', kind: 'diesel', bus: '105', kVA: 600, gridForming: true, h: 2, droop: 0.05, tgS: 1, pSetKW: 150, voltVar: false, microgrid: 'MG2', abnormalCategory: 'II' }),
      der({ name: 'PV_108', kind: 'pv', bus: '108', kVA: 150, normalCategory: 'A', abnormalCategory: 'II', microgrid: 'MG2' }),
      // MG3 behind L86: CHP with a grid-following battery.
      der({ name: 'CHP_89', kind: 'chp', bus: '89', kVA: 400, gridForming: true, h: 8, droop: 0.05, tgS: 1, pSetKW: 100, voltVar: false, microgrid: 'MG3', abnormalCategory: 'II' }),
      der({ name: 'BESS_91', kind: 'battery', bus: '91', kVA: 100, microgrid: 'MG3' }),
      // On the open feeder: PV and wind of each abnormal category.
      der({ name: 'PV_64', kind: 'pv', bus: '64', kVA: 400, abnormalCategory: 'III' }),
      der({ name: 'PV_28', kind: 'pv', bus: '28', kVA: 150, normalCategory: 'A', abnormalCategory: 'I' }),
      der({ name: 'WIND_76', kind: 'wind', bus: '76', kVA: 300, abnormalCategory: 'II' }),
      der({ name: 'PV_52', kind: 'pv', bus: '52', kVA: 100, normalCategory: 'A', abnormalCategory: 'II' }),
    ],
    microgrids: [
      { name: 'MG1', pccBranch: 'Sw3', syncLimits: defaultSyncLimits(1050), syncDelayS: 5, loadDamping: 1 },
      { name: 'MG2', pccBranch: 'Sw5', syncLimits: defaultSyncLimits(750), syncDelayS: 5, loadDamping: 1 },
      { name: 'MG3', pccBranch: 'L86', syncLimits: defaultSyncLimits(500), syncDelayS: 5, loadDamping: 1 },
    ],
    ambient: true,
    defaultLoop: { enabled: true, everyS: 180 },
  };
}
