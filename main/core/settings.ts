// The settings service: one YAML file (<data>/config/settings.yaml) made of sections, each with a zod schema.
// Services add their section with `section(name, schema)` before load; every error names the field and what is allowed.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ledgerSettingsSchema } from '../../shared/contract/areas/ledger';
import { AppError } from '../../shared/errors';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export const hostSettingsSchema = z.object({
  bind: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(7420),
  /** extra Host header names accepted (DNS rebinding guard), e.g. a wall display's DNS name */
  allowedHosts: z.array(z.string()).default([]),
  tls: z.object({ cert: z.string(), key: z.string() }).optional(),
  maxMessageBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
});

export const coreSections = {
  host: hostSettingsSchema,
  auth: z.object({ mode: z.enum(['local', 'users']).default('local'), sessionMinutes: z.number().int().min(1).max(24 * 60).default(12 * 60) }),
  log: z.object({ level: z.enum(logLevels).default('info') }),
  ledger: ledgerSettingsSchema,
};

/** Turns zod issues into one AppError naming the file, the field and the allowed values. */
export function settingsError(where: string, error: z.ZodError): AppError {
  const parts = error.issues.map((i) => {
    const field = i.path.map(String).join('.') || '(root)';
    const allowed = 'values' in i && Array.isArray(i.values) ? ` (allowed: ${i.values.map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `${field}: ${i.message}${allowed}`;
  });
  return new AppError('INVALID_ARGUMENT', `${where}: ${parts.join('; ')}`, { file: where, fields: error.issues.map((i) => i.path.map(String).join('.')) });
}

export class SettingsStore {
  private readonly schemas = new Map<string, z.ZodType>(Object.entries(coreSections));
  private values: Record<string, unknown> = {};
  readonly path: string;

  constructor(configDir: string) {
    this.path = join(configDir, 'settings.yaml');
  }

  /** Declares a section; call before load(). Its schema must accept `{}` (defaults for every field). */
  section<S extends z.ZodType>(name: string, schema: S): () => z.output<S> {
    this.schemas.set(name, schema);
    if (name in this.values) this.values[name] = this.parseSection(name, this.values[name]);
    return () => this.get(name) as z.output<S>;
  }

  load(overrides: Record<string, Record<string, unknown>> = {}): void {
    let raw: Record<string, unknown> = {};
    if (existsSync(this.path)) {
      let doc: unknown;
      try {
        doc = YAML.parse(readFileSync(this.path, 'utf8'));
      } catch (e) {
        throw new AppError('PARSE_ERROR', `${this.path}: ${(e as Error).message}`, { file: this.path });
      }
      if (doc != null && (typeof doc !== 'object' || Array.isArray(doc))) throw new AppError('INVALID_ARGUMENT', `${this.path}: expected a mapping of sections`, { file: this.path });
      raw = (doc ?? {}) as Record<string, unknown>;
    } else {
      this.values = {};
      for (const name of this.schemas.keys()) this.values[name] = this.parseSection(name, {});
      this.save();
    }
    const unknown = Object.keys(raw).filter((k) => !this.schemas.has(k));
    if (unknown.length) throw new AppError('INVALID_ARGUMENT', `${this.path}: unknown section ${unknown.join(', ')} (allowed: ${[...this.schemas.keys()].join(', ')})`, { file: this.path });
    const next: Record<string, unknown> = {};
    for (const name of this.schemas.keys()) next[name] = this.parseSection(name, { ...((raw[name] as object) ?? {}), ...(overrides[name] ?? {}) });
    this.values = next;
  }

  get<T = unknown>(name: string): T {
    if (!this.schemas.has(name)) throw new AppError('NOT_FOUND', `no settings section ${name} (allowed: ${[...this.schemas.keys()].join(', ')})`);
    return (this.values[name] ?? this.parseSection(name, {})) as T;
  }

  all(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.schemas.keys()) out[name] = this.get(name);
    return out;
  }

  /** Validates and persists one section (atomically: write then rename). */
  put(name: string, value: unknown): void {
    if (!this.schemas.has(name)) throw new AppError('INVALID_ARGUMENT', `section: unknown section ${name} (allowed: ${[...this.schemas.keys()].join(', ')})`, { field: 'section' });
    this.values[name] = this.parseSection(name, value);
    this.save();
  }

  private parseSection(name: string, value: unknown): unknown {
    const r = this.schemas.get(name)!.safeParse(value ?? {});
    if (!r.success) throw settingsError(`settings ${name}`, r.error);
    return r.data;
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, YAML.stringify(this.values), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
