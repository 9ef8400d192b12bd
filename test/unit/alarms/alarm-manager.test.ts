import { describe, expect, it } from 'vitest';
import { AlarmManager } from '../../../shared/alarms/alarm-manager';
import type { AlarmDefinition } from '../../../shared/alarms/alarm';
import { isAppError } from '../../../shared/errors';

const uv: AlarmDefinition = { id: 'bus/150/UV', source: '150', message: 'Bus 150 undervoltage < 0.95 p.u.', priority: 'high', kind: 'low', limit: 0.95, deadband: 0.005, onDelayMs: 2000, offDelayMs: 1000, suppressionGroup: 'islanded:MG1' };

function manager(): AlarmManager {
  const m = new AlarmManager({ windowMs: 600_000, threshold: 3 });
  m.define(uv);
  return m;
}

describe('alarm state machine (ISA-18.2)', () => {
  it('activates only after the on-delay and returns to normal only after the off-delay', () => {
    const m = manager();
    expect(m.update(uv.id, 0.93, 0)).toBeUndefined();
    expect(m.update(uv.id, 0.93, 1999)).toBeUndefined();
    expect(m.update(uv.id, 0.93, 2000)?.to).toBe('UNACK_ACTIVE');
    expect(m.update(uv.id, 0.99, 2500)).toBeUndefined();
    expect(m.update(uv.id, 0.99, 3500)?.to).toBe('UNACK_RTN');
    expect(m.acknowledge(uv.id, 'alice', 3600).to).toBe('NORMAL');
  });

  it('a condition shorter than the on-delay never alarms', () => {
    const m = manager();
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.99, 1500);
    expect(m.update(uv.id, 0.9, 1600)).toBeUndefined();
    expect(m.update(uv.id, 0.9, 3000)).toBeUndefined(); // the delay restarted at 1600
    expect(m.update(uv.id, 0.9, 3600)?.to).toBe('UNACK_ACTIVE');
  });

  it('holds inside the deadband (no chatter) and clears beyond it', () => {
    const m = manager();
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.9, 2000);
    m.update(uv.id, 0.952, 2100); // above the limit but inside the deadband
    expect(m.update(uv.id, 0.952, 9000)).toBeUndefined();
    m.update(uv.id, 0.956, 9100);
    expect(m.update(uv.id, 0.956, 10_100)?.to).toBe('UNACK_RTN');
  });

  it('acknowledging an active alarm keeps it active; it then returns to normal without another ack', () => {
    const m = manager();
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.9, 2000);
    const ack = m.acknowledge(uv.id, 'alice', 2500);
    expect(ack).toMatchObject({ from: 'UNACK_ACTIVE', to: 'ACK_ACTIVE', user: 'alice' });
    m.update(uv.id, 1.0, 3000);
    expect(m.update(uv.id, 1.0, 4000)?.to).toBe('NORMAL');
  });

  it('refuses to acknowledge a normal alarm, and NaN never changes the state', () => {
    const m = manager();
    try {
      m.acknowledge(uv.id, 'alice', 0);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'CONFLICT')).toBe(true);
    }
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, Number.NaN, 2500);
    expect(m.list(2500)[0]?.state).toBe('UNACK_ACTIVE');
  });

  it('shelving hides the alarm until it expires, and the horn follows', () => {
    const m = manager();
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.9, 2000);
    expect(m.audible(2000)).toBe(true);
    m.shelve(uv.id, 'alice', 2100, 60_000);
    expect(m.list(2200)).toHaveLength(0);
    expect(m.list(2200, { includeHidden: true })[0]?.shelved).toBe(true);
    expect(m.audible(2200)).toBe(false);
    expect(m.list(62_100)).toHaveLength(1); // expired
    expect(() => m.shelve(uv.id, 'alice', 0, 9 * 3600_000)).toThrow(/duration/);
  });

  it('silencing stops the horn but does not acknowledge; a new alarm sounds again', () => {
    const m = manager();
    m.define({ ...uv, id: 'bus/60/UV', source: '60', suppressionGroup: undefined });
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.9, 2000);
    m.silence(2100);
    expect(m.audible(2200)).toBe(false);
    expect(m.list(2200)[0]?.state).toBe('UNACK_ACTIVE');
    m.update('bus/60/UV', 0.9, 2300);
    m.update('bus/60/UV', 0.9, 4300);
    expect(m.audible(4300)).toBe(true);
  });

  it('suppression by design hides the alarm from the list, the horn and the flood count', () => {
    const m = manager();
    m.setSuppressed('islanded:MG1', true);
    m.update(uv.id, 0.9, 0);
    m.update(uv.id, 0.9, 2000);
    expect(m.list(2000)).toHaveLength(0);
    expect(m.audible(2000)).toBe(false);
    m.setSuppressed('islanded:MG1', false);
    expect(m.list(2000)).toHaveLength(1);
  });

  it('detects a flood: more annunciated activations than the threshold inside the window', () => {
    const m = manager();
    for (let i = 0; i < 4; i++) {
      m.define({ ...uv, id: `x${i}`, onDelayMs: 0, suppressionGroup: undefined });
      m.update(`x${i}`, 0.5, i * 1000);
    }
    expect(m.inFlood(4000)).toBe(true);
    expect(m.inFlood(601_500)).toBe(false);
  });

  it('sorts the list by priority then newest', () => {
    const m = manager();
    m.define({ ...uv, id: 'low', priority: 'low', onDelayMs: 0 });
    m.define({ ...uv, id: 'crit', priority: 'critical', onDelayMs: 0 });
    m.update('low', 0.5, 10);
    m.update('crit', 0.5, 5);
    expect(m.list(20).map((a) => a.def.id)).toEqual(['crit', 'low']);
  });
});
