// Stream-level settings, fault counters and the quality test shared by every per-sample consumer in shared/grid
// (event detector, grid-connect machine, inertia monitor).

export interface DetectionSettings {
  hysteresisPu: number; // V must come back this far inside the continuous band to end an excursion
  hysteresisHz: number;
  mergeMs: number; // quiet time inside the band before an event closes; excursions closer than this merge
  gapMs: number; // a stream silent longer than this suspends judgement of its quantity
  latenessMs: number; // samples up to this much older than the newest are re-ordered; older ones are dropped as late
  statusToleranceMs: number; // latency allowed between a required action and the DER status that shows it
}

export const DEFAULT_DETECTION: DetectionSettings = {
  hysteresisPu: 0.01,
  hysteresisHz: 0.02,
  mergeMs: 1000,
  gapMs: 500,
  latenessMs: 250,
  statusToleranceMs: 250,
};

export interface DetectorCounters {
  samples: number;
  nan: number;
  infinite: number;
  badQuality: number;
  outOfOrder: number;
  duplicate: number;
  late: number;
}

export function emptyCounters(): DetectorCounters {
  return { samples: 0, nan: 0, infinite: 0, badQuality: 0, outOfOrder: 0, duplicate: 0, late: 0 };
}

/** OPC UA StatusCode severity: only Good (top two bits 00) is judged; Uncertain and Bad suspend. */
export function isGood(status: number): boolean {
  return status >>> 30 === 0;
}
