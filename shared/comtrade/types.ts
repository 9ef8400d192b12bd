// COMTRADE (IEEE C37.111-1999/2013) records as plain data: the configuration (.cfg) and the sampled data (.dat)
// in engineering units, so readers and writers in shared/ stay free of files and Node (they take strings/bytes).

export type DatFormat = 'ASCII' | 'BINARY' | 'BINARY32' | 'FLOAT32';

export interface AnalogChannel {
  id: string; // ch_id, e.g. "VA"
  phase: string; // ph, e.g. "A" (may be empty)
  circuit: string; // ccbm: circuit component being monitored
  unit: string; // uu, e.g. "kV"
  a: number; // multiplier: value = a * x + b
  b: number; // offset
  skew: number; // µs between channel sampling and the sample instant
  min: number; // smallest raw value the file may hold
  max: number; // largest raw value
  primary: number; // primary ratio factor (VT/CT)
  secondary: number; // secondary ratio factor
  ps: 'P' | 'S'; // whether a*x+b gives primary or secondary values
}

export interface DigitalChannel {
  id: string;
  phase: string;
  circuit: string;
  normal: 0 | 1; // y: the normal state
}

export interface SampleRate {
  rate: number; // samples per second (0 when the file is timestamped only)
  endSample: number; // last sample number at this rate
}

export interface ComtradeConfig {
  station: string;
  device: string;
  revYear: 1991 | 1999 | 2013;
  analogs: AnalogChannel[];
  digitals: DigitalChannel[];
  lineFreq: number;
  rates: SampleRate[]; // empty when nrates = 0 (then totalSamples gives the count)
  totalSamples: number;
  startMs: number; // first data point, ms since the UTC epoch (fractional, µs precise)
  triggerMs: number;
  format: DatFormat;
  timeMult: number; // multiplies the .dat timestamps (µs)
  timeCode: string; // 2013: offset of the recorded clock from UTC, e.g. "0" or "-5h30"
  localCode: string;
  tmqCode: string; // time quality of the recorder's clock (hex digit)
  leapSec: number;
}

/** Sampled data in engineering units (a*x+b); NaN where the file marks a value missing. */
export interface ComtradeData {
  sample: Float64Array; // sample numbers as written (1-based)
  timeUs: Float64Array; // µs since the first data point (timestamp × timemult, or from the rates); NaN if missing
  analog: Float64Array[]; // one column per analog channel
  digital: Uint8Array[]; // one column per digital channel
}

export interface ComtradeRecord {
  config: ComtradeConfig;
  data: ComtradeData;
}

export const MISSING_BINARY16 = -32768;
export const MISSING_BINARY32 = -2147483648;
export const MISSING_TIMESTAMP = 0xffffffff;
