// The seed patent's time domains (FIG. 2): TD1 under 1 s, TD2 1–60 s, TD3 1 min–24 h, TD4 a day or more.
// Used to file events by duration and grid services by the response time they require.

export type TimeDomain = 'TD1' | 'TD2' | 'TD3' | 'TD4';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Files a duration (ms) into a time domain; boundaries belong to the longer domain (1 s is TD2). */
export function timeDomainOf(durationMs: number): TimeDomain {
  if (!(durationMs >= 0)) return 'TD1';
  if (durationMs < 1000) return 'TD1';
  if (durationMs < MINUTE) return 'TD2';
  if (durationMs < DAY) return 'TD3';
  return 'TD4';
}

export type GridService =
  | 'frequency-monitoring'
  | 'fast-frequency-response'
  | 'synthetic-inertia'
  | 'frequency-regulation'
  | 'voltage-support'
  | 'spinning-reserve'
  | 'demand-response'
  | 'black-start'
  | 'energy-purchase'
  | 'forward-hedging';

/** The response time each service requires (ms), from the seed's FIG. 2 and its service tables ([0045], [0093], [0097]). */
export const SERVICE_RESPONSE_MS: Record<GridService, number> = {
  'frequency-monitoring': 1, // milliseconds (TD1, [0058])
  'synthetic-inertia': 200, // within the inertial response, before governors act
  'fast-frequency-response': 500,
  'frequency-regulation': 4_000, // TD2 ([0097]: frequency support TD1–TD2)
  'voltage-support': 10_000, // TD2 ([0093]: TD2–TD3)
  'spinning-reserve': 10 * MINUTE,
  'demand-response': 15 * MINUTE, // TD3 ([0060])
  'black-start': 4 * 60 * MINUTE,
  'energy-purchase': 15 * MINUTE, // TD3/TD4 blocks of 5, 15, 60 min ([0139])
  'forward-hedging': 7 * DAY, // TD4 ([0061])
};

export function serviceTimeDomain(service: GridService): TimeDomain {
  return timeDomainOf(SERVICE_RESPONSE_MS[service]);
}
