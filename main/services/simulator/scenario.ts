// Grey-sky scenarios as data: a YAML or JSON file (or an OPC UA method argument) listing timed events. Parsed
// with zod; every error names the file, the line where YAML can tell it, and the field path (events.2.mw).
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { zodToAppError } from './config';

const phase = z.enum(['A', 'B', 'C']);
const at = z.number().min(0).finite();
const name = z.string().min(1).max(64);

export const scenarioEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fault'), at, bus: name, kind: z.enum(['SLG', 'LL', 'LLG', '3P']), phases: z.array(phase).min(1).max(3).optional(), ohms: z.number().min(0).max(1000).default(0.01), durationS: z.number().positive().max(60) }).strict(),
  z.object({ type: z.literal('sourceSag'), at, pu: z.number().min(0).max(1.5), durationS: z.number().positive().max(3600) }).strict(),
  z.object({ type: z.literal('bulkLoss'), at, mw: z.number().positive().max(100_000) }).strict(),
  z.object({ type: z.literal('derTrip'), at, der: name }).strict(),
  z.object({ type: z.literal('switch'), at, branch: name, closed: z.boolean() }).strict(),
  z.object({ type: z.literal('loadRamp'), at, to: z.number().min(0).max(3), overS: z.number().min(0).max(3600) }).strict(),
  z.object({ type: z.literal('island'), at, microgrid: name }).strict(),
  z.object({ type: z.literal('reconnect'), at, microgrid: name }).strict(),
]);
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;

export const scenarioSchema = z
  .object({
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    /** Repeat the event list forever with this period (s); absent = play once. */
    repeatS: z.number().positive().optional(),
    events: z.array(scenarioEventSchema).max(10_000),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

/** Parses scenario text (YAML is a superset of JSON, so one parser serves both). */
export function parseScenario(text: string, file = '(scenario)'): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0]?.line : undefined;
    throw new AppError('PARSE_ERROR', `${file}${line ? `:${line}` : ''}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { file, line });
  }
  return checkScenario(raw, file);
}

export function checkScenario(raw: unknown, file = '(scenario)'): Scenario {
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw zodToAppError(r.error, 'scenario', file);
  return r.data;
}

/** One event checked on its own (method calls); errors name the field. */
export function checkEvent(raw: unknown): ScenarioEvent {
  const r = scenarioEventSchema.safeParse(raw);
  if (!r.success) throw zodToAppError(r.error, 'event');
  return r.data;
}
