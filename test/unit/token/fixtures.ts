// Shared test fixtures for the token payload: a sample payload per load coupling and a deterministic RNG.
import { createHash } from 'node:crypto';
import { GenSourceClass, GridConnectState, LoadCoupling, NO_RATIO, RideThroughCategory, StoredSubclass, TimeDomain, VoltageCategory, ZceSubclass, type TokenPayload } from '../../../shared/token';

export const consumed: TokenPayload = {
  gridConnect: GridConnectState.RideThrough,
  genClass: GenSourceClass.Zce,
  zceSubclass: ZceSubclass.SolarPv,
  voltageCategory: VoltageCategory.B,
  rideThroughCategory: RideThroughCategory.III,
  loadCoupling: LoadCoupling.Consumed,
  storedSubclass: StoredSubclass.Unspecified,
  exergyRatioBp: 9_350,
  epsVoltageMicroPu: 1_112_500,
  epsInertiaKWs: 4_200_000,
  energyMilliWh: 12_345_678n,
  location: { feeder: 'IEEE123', section: 'L114', bus: '150' },
  mlfPpm: 1_023_400,
  timeDomain: TimeDomain.TD3,
  periodStartMs: 1_795_000_000_000n,
  periodMs: 900_000,
};

export const stored: TokenPayload = {
  ...consumed,
  gridConnect: GridConnectState.Islanded,
  genClass: GenSourceClass.Fossil,
  zceSubclass: ZceSubclass.None,
  loadCoupling: LoadCoupling.Stored,
  storedSubclass: StoredSubclass.PumpedHydro,
  exergyRatioBp: NO_RATIO,
  energyMilliWh: -5_000n,
  location: { feeder: 'IEEE13', section: '', bus: '671' },
  timeDomain: TimeDomain.TD1,
  periodMs: 20,
};

/** SHA-256 counter stream: the same seed always yields the same "random" bytes (KATs only). */
export function detRng(seed: string): (n: number) => Uint8Array {
  let ctr = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const h = createHash('sha256').update(`${seed}/${ctr++}`).digest();
      out.set(h.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}
