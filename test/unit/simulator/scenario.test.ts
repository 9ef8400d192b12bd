// Scenario files: valid YAML and JSON parse to typed events; bad ones are refused with the file, line and field.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../main/services/simulator/scenario';
import { applyOverrides } from '../../../main/services/simulator/config';
import { ieee123Config } from '../../../main/services/simulator/ieee123-placement';
import { isAppError } from '../../../shared/errors';

const refused = (text: string) => {
  try {
    parseScenario(text, 'grey.yaml');
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('scenario files', () => {
  it('parses YAML and JSON alike, with defaults', () => {
    const y = parseScenario('events:\n  - { type: fault, at: 3, bus: "65", kind: SLG, durationS: 0.1 }\n  - { type: bulkLoss, at: 5, mw: 300 }\n');
    expect(y.events[0]).toMatchObject({ type: 'fault', ohms: 0.01 });
    const j = parseScenario(JSON.stringify({ name: 'x', events: [{ type: 'island', at: 1, microgrid: 'MG1' }] }));
    expect(j.events).toHaveLength(1);
  });

  it('names the field of a bad value, an unknown event type and an unknown key', () => {
    expect(refused('events:\n  - { type: bulkLoss, at: 1, mw: -5 }\n').message).toMatch(/grey\.yaml: events\.0\.mw/);
    expect(refused('events:\n  - { type: meteor, at: 1 }\n').message).toMatch(/events\.0\.type/);
    expect(refused('events:\n  - { type: bulkLoss, at: 1, mw: 5, colour: red }\n').message).toMatch(/events\.0/);
    expect(refused('events:\n  - { type: fault, at: 1, bus: "1", kind: 3P, durationS: 0 }\n').message).toMatch(/events\.0\.durationS/);
    expect(refused('name: 5\nevents: []\n').info?.fields).toEqual(['name']);
  });

  it('names the line of a YAML syntax error', () => {
    const e = refused('events:\n  - type: fault\n   at: [1\n');
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toMatch(/^grey\.yaml:\d+: /);
  });

  it('checks simulator overrides by field, including unknown devices', () => {
    expect(() => applyOverrides(ieee123Config(), { bulk: { h: -1 } })).toThrow(/bulk\.h/);
    expect(() => applyOverrides(ieee123Config(), { ders: { PV_64: { settings: { islandTripS: 5 } } } })).toThrow(/ders\.PV_64\.settings\.islandTripS/);
    expect(() => applyOverrides(ieee123Config(), { microgrids: { MG9: { syncDelayS: 1 } } })).toThrow(/microgrids\.MG9/);
    expect(applyOverrides(ieee123Config(), { ders: { PV_64: { settings: { uv2: { level: 0.5, clearS: 0.5 } } } } }).ders.find((d) => d.name === 'PV_64')!.settings!.uv2).toEqual({ level: 0.5, clearS: 0.5 });
  });
});
