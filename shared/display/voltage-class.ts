// Service-voltage classes of ANSI C84.1 for the map and the alarm list: normal stays grey (ISA-101), and every
// abnormal class carries a second cue (a shape and a label) besides its colour.

export interface VoltageLimits {
  rangeA: [number, number]; // p.u., ANSI C84.1 Range A (service)
  rangeB: [number, number]; // p.u., Range B
}

export const ANSI_C84_1: VoltageLimits = { rangeA: [0.95, 1.05], rangeB: [0.917, 1.058] };

/** 0 normal, 1 outside Range A (low), 2 outside Range A (high), 3 outside Range B (low), 4 outside Range B (high),
 * 5 no data. Numbers so a Uint8Array can carry them to a deck.gl attribute. */
export enum VoltageClass {
  Normal = 0,
  LowA = 1,
  HighA = 2,
  LowB = 3,
  HighB = 4,
  NoData = 5,
}

export const VOLTAGE_CLASS_LABEL: Record<VoltageClass, string> = {
  [VoltageClass.Normal]: 'normal',
  [VoltageClass.LowA]: 'low (outside Range A)',
  [VoltageClass.HighA]: 'high (outside Range A)',
  [VoltageClass.LowB]: 'LOW (outside Range B)',
  [VoltageClass.HighB]: 'HIGH (outside Range B)',
  [VoltageClass.NoData]: 'no data',
};

/** Classifies a bus by its worst phase: the lowest phase judges low, the highest phase judges high. */
export function classifyVoltage(minPu: number, maxPu: number, limits: VoltageLimits = ANSI_C84_1): VoltageClass {
  const lo = Number.isFinite(minPu) ? minPu : NaN;
  const hi = Number.isFinite(maxPu) ? maxPu : NaN;
  if (Number.isNaN(lo) && Number.isNaN(hi)) return VoltageClass.NoData;
  // Out of Range B on either side is the most severe; a low-side B violation outranks a high-side A one.
  if (lo < limits.rangeB[0]) return VoltageClass.LowB;
  if (hi > limits.rangeB[1]) return VoltageClass.HighB;
  if (lo < limits.rangeA[0]) return VoltageClass.LowA;
  if (hi > limits.rangeA[1]) return VoltageClass.HighA;
  return VoltageClass.Normal;
}

/** How far the worst phase is from nominal (signed p.u. deviation), for sizing and sorting. */
export function worstDeviation(minPu: number, maxPu: number): number {
  const dLo = Number.isFinite(minPu) ? 1 - minPu : 0;
  const dHi = Number.isFinite(maxPu) ? maxPu - 1 : 0;
  return dLo >= dHi ? -dLo : dHi;
}
