// The foundation's channels and streams: version negotiation, login, settings, the operator journal, endpoint
// states, system status, and the push streams (telemetry frames, status, alarms, events) other services feed.
import { z } from 'zod';
import { channel, stream } from '../define';

export const ROLES = ['dso-operator', 'microgrid-controller', 'auditor', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const userInfoSchema = z.object({
  name: z.string(),
  role: roleSchema,
  roles: z.array(roleSchema),
  microgrids: z.array(z.string()),
});
export type UserInfo = z.infer<typeof userInfoSchema>;

export const connectionStateSchema = z.enum(['not-configured', 'connecting', 'connected', 'degraded', 'disconnected', 'failed']);
export const connectionSchema = z.object({
  id: z.string(),
  kind: z.string(), // 'opcua' | 'chain' | 'simulator' | ...
  label: z.string(),
  endpoint: z.string().optional(),
  state: connectionStateSchema,
  detail: z.string().optional(),
  since: z.number(),
});
export type Connection = z.infer<typeof connectionSchema>;

export const serviceStatusSchema = z.object({
  name: z.string(),
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  detail: z.string().optional(),
});
export const systemStatusSchema = z.object({
  version: z.string(),
  contractVersion: z.number(),
  startedAt: z.number(),
  host: z.enum(['electron', 'browser', 'cli']),
  services: z.array(serviceStatusSchema),
  connections: z.array(connectionSchema),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const journalLineSchema = z.object({
  seq: z.number(),
  at: z.number(),
  user: z.string(),
  role: z.string(),
  host: z.string(),
  channel: z.string(),
  outcome: z.string(), // 'ok' or an ErrorCode
  detail: z.unknown().optional(),
  prev: z.string(),
  hash: z.string(),
});
export type JournalLine = z.infer<typeof journalLineSchema>;

export const alarmSchema = z.object({
  id: z.string(),
  at: z.number(),
  source: z.string(),
  message: z.string(),
  priority: z.enum(['low', 'medium', 'high', 'urgent']),
  state: z.enum(['active-unack', 'active-ack', 'rtn-unack', 'cleared', 'shelved', 'suppressed']),
});
export const eventSchema = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.string(),
  source: z.string(),
  message: z.string(),
  info: z.record(z.string(), z.unknown()).optional(),
});

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

export const channels = {
  hello: channel(
    'negotiate the contract version; must be the first call of a session',
    z.object({ versions: z.array(z.number().int().positive()).min(1), client: z.string().max(64) }),
    z.object({ version: z.number(), server: z.string(), host: z.enum(['electron', 'browser', 'cli']), authMode: z.enum(['local', 'users']) }),
  ),
  'auth.login': channel(
    'log in as a named user; the session acts in one of the user roles',
    z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(256), role: roleSchema.optional() }),
    userInfoSchema,
    ['password'],
  ),
  'auth.logout': channel('end the session user', empty, ok),
  'auth.whoami': channel('the session user, if any', empty, z.object({ user: userInfoSchema.nullable() })),
  'settings.get': channel('the current settings, validated', empty, z.object({ settings: z.record(z.string(), z.unknown()) })),
  'settings.put': channel(
    'replace one settings section; errors name the field and the allowed values',
    z.object({ section: z.string().min(1).max(64), value: z.unknown() }),
    z.object({ settings: z.record(z.string(), z.unknown()), restartRequired: z.boolean() }),
  ),
  'journal.query': channel(
    'read the operator journal, newest last',
    z.object({ from: z.number().optional(), to: z.number().optional(), user: z.string().optional(), channel: z.string().optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    z.object({ lines: z.array(journalLineSchema), verified: z.boolean(), brokenAt: z.number().optional() }),
  ),
  'connections.list': channel('every configured endpoint and its state', empty, z.object({ connections: z.array(connectionSchema) })),
  'system.status': channel('version, services and endpoints', empty, systemStatusSchema),
};

export const streams = {
  telemetry: stream('binary sample frames (frame.ts), 10-30 per second', z.object({ signals: z.array(z.number().int().nonnegative()).optional() }), z.never(), true),
  status: stream('system status whenever a service or endpoint changes', empty, systemStatusSchema),
  // alarms and events: declared with their full shapes in areas/grid.ts
};
