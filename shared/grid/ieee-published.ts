// Published reference figures the IEEE test feeders are checked against (tap positions and feeder totals), and the
// node aliases the RDAP report uses for regulator and transformer secondaries.

/** IEEE 123 (RDAP, 2004-06-24): final taps, which OpenDSS's Run_IEEE123Bus.DSS also forces. */
export const IEEE123_PUBLISHED_TAPS: Record<string, number> = { reg1a: 7, reg2a: -1, reg3a: 0, reg3c: -1, reg4a: 8, reg4b: 1, reg4c: 5 };
export const IEEE123_PUBLISHED_TOTALS = { kW: 3620.498, kvar: 1324.765, lossKW: 95.611 };
/** RG1..RG4 are the regulator outputs, XF1 the secondary of the 4.16/0.48 kV transformer. */
export const IEEE123_NODE_ALIASES: Record<string, string> = { RG1: '150r', RG2: '9r', RG3: '25r', RG4: '160r', XF1: '610' };

/** IEEE 13: taps +10, +8, +11 (1.0625 / 1.0500 / 1.06875 pu), as in the IEEE13Nodeckt.dss comments. */
export const IEEE13_PUBLISHED_TAPS: Record<string, number> = { Reg1: 10, Reg2: 8, Reg3: 11 };

/** IEEE 34 (Mod 1): the taps OpenDSS's Run_IEEE34Mod1.dss forces to reproduce the published solution. */
export const IEEE34_PUBLISHED_TAPS: Record<string, number> = { reg1a: 12, reg1b: 5, reg1c: 5, reg2a: 13, reg2b: 11, reg2c: 12 };
