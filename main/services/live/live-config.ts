// The live data path's optional configuration, <data>/config/live.yaml: OPC UA endpoints to ingest (none = start
// the embedded simulator) and the simulator's options. Validated with zod; errors name the file and the field.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';

export const liveConfigSchema = z
  .object({
    /** OPC UA ingestion settings (main/services/opcua/settings.ts); no connections = embedded simulator */
    opcua: z.object({ connections: z.array(z.record(z.string(), z.unknown())).default([]), frameIntervalMs: z.number().min(20).max(200).default(50) }).default({ connections: [], frameIntervalMs: 50 }),
    simulator: z.object({ feeder: z.string().default('ieee123'), speed: z.number().positive().max(1000).default(1), seed: z.number().int().default(1), busVoltages: z.boolean().default(false) }).default({ feeder: 'ieee123', speed: 1, seed: 1, busVoltages: false }),
    /** certificate folders (simulator server, ingestion client, command client); default <data>/pki */
    pkiDir: z.string().min(1).optional(),
    stateIntervalMs: z.number().min(100).max(5000).default(500),
    estimateIntervalMs: z.number().min(250).max(10_000).default(1000),
  })
  .strict();
export type LiveConfig = z.infer<typeof liveConfigSchema>;

export function readLiveConfig(configDir: string): LiveConfig {
  const file = join(configDir, 'live.yaml');
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = YAML.parse(readFileSync(file, 'utf8')) ?? {};
    } catch (e) {
      throw new AppError('PARSE_ERROR', `${file}: ${(e as Error).message}`, { file });
    }
  }
  const r = liveConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AppError('INVALID_ARGUMENT', `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`, { file, field: i.path.join('.') });
  }
  return r.data;
}
