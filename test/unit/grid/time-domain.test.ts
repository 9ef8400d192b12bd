// The seed's time domains: event durations and grid-service response times filed into TD1–TD4 at the boundaries.
import { describe, expect, it } from 'vitest';
import { serviceTimeDomain, timeDomainOf } from '../../../shared/grid/time-domain';

describe('time domains (seed FIG. 2)', () => {
  it.each([
    [0, 'TD1'], [999, 'TD1'], [1000, 'TD2'], [59_999, 'TD2'], [60_000, 'TD3'], [86_399_999, 'TD3'], [86_400_000, 'TD4'], [Number.NaN, 'TD1'],
  ])('%f ms is %s', (ms, td) => expect(timeDomainOf(ms)).toBe(td));
  it('files grid services by the response they require', () => {
    expect(serviceTimeDomain('synthetic-inertia')).toBe('TD1');
    expect(serviceTimeDomain('frequency-regulation')).toBe('TD2');
    expect(serviceTimeDomain('voltage-support')).toBe('TD2');
    expect(serviceTimeDomain('demand-response')).toBe('TD3');
    expect(serviceTimeDomain('forward-hedging')).toBe('TD4');
  });
});
