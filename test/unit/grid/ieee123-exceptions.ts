// Rows of IEEE123_published_voltages.csv exempt from the |dV| <= 0.002 pu, |dθ| <= 0.5° check, each with its reason
// and the check that replaces it. Keep this list short: every entry must be explained here.

export interface RowException {
  rows: string[]; // `${node}.${phase}` as in the CSV
  reason: string;
  replacement: 'line-to-line'; // what the test checks instead
}

export const IEEE123_EXCEPTIONS: RowException[] = [
  {
    rows: ['XF1.A', 'XF1.B', 'XF1.C', '610.A', '610.B', '610.C'],
    reason:
      'XF1 (bus 610) is the unloaded secondary of the 150 kVA delta-delta transformer XFM1. A delta winding carries no ' +
      'zero-sequence voltage, so the line-to-ground voltages of 610 are fixed only by the anti-float reactances ' +
      '(OpenDSS ppm) and have no zero-sequence part, while RDAP prints the primary (bus 61) line-to-neutral voltages, ' +
      'which are unbalanced. The physically defined quantities, the line-to-line voltages, must still match.',
    replacement: 'line-to-line',
  },
];
