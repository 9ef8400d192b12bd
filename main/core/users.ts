// Named users and their roles from <data>/config/users.yaml, scrypt password hashes, and the local single-user
// default a fresh install creates (its generated password is shown once, at first start).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { roleSchema, type Role, type UserInfo } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { settingsError } from './settings';

const SCRYPT = { N: 16384, r: 8, p: 1 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export const userSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore (1-64)'),
  roles: z.array(roleSchema).min(1),
  /** the microgrids a microgrid-controller may command */
  microgrids: z.array(z.string()).default([]),
  password: z.string().startsWith('scrypt$', 'a scrypt hash made by `hashPassword`'),
  disabled: z.boolean().default(false),
});
export const usersFileSchema = z.object({ users: z.array(userSchema) });
export type UserRecord = z.infer<typeof userSchema>;

/** After this many consecutive failures a user name is locked for LOCK_MS, slowing password guessing. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 30_000;

export class UserDirectory {
  readonly path: string;
  private users: UserRecord[] = [];
  private readonly failures = new Map<string, { count: number; last: number }>();
  now: () => number = Date.now;

  constructor(configDir: string) {
    this.path = join(configDir, 'users.yaml');
  }

  /** Loads users; on a fresh install writes the local default user and returns its one-time password. */
  load(): { createdDefault?: { user: string; password: string } } {
    if (!existsSync(this.path)) {
      const password = randomBytes(12).toString('base64url');
      const user: UserRecord = { name: 'operator', roles: ['dso-operator', 'admin', 'auditor'], microgrids: [], password: hashPassword(password), disabled: false };
      writeFileSync(this.path, `# Exergy Console users: roles are ${roleSchema.options.join(', ')}\n${YAML.stringify({ users: [user] })}`, { mode: 0o600 });
      this.users = [user];
      return { createdDefault: { user: user.name, password } };
    }
    let doc: unknown;
    try {
      doc = YAML.parse(readFileSync(this.path, 'utf8'));
    } catch (e) {
      throw new AppError('PARSE_ERROR', `${this.path}: ${(e as Error).message}`, { file: this.path });
    }
    const r = usersFileSchema.safeParse(doc);
    if (!r.success) throw settingsError(this.path, r.error);
    this.users = r.data.users;
    return {};
  }

  list(): UserRecord[] {
    return this.users.map((u) => ({ ...u }));
  }

  /** Checks a password; the failure says nothing about which part was wrong. */
  authenticate(name: string, password: string, role?: Role): UserInfo {
    const f = this.failures.get(name);
    if (f && f.count >= MAX_FAILURES && this.now() - f.last < LOCK_MS) {
      throw new AppError('UNAUTHENTICATED', `too many failed logins for ${name}; try again in ${Math.ceil((LOCK_MS - (this.now() - f.last)) / 1000)} s`, { retryAfterMs: LOCK_MS - (this.now() - f.last) });
    }
    const u = this.users.find((x) => x.name === name && !x.disabled);
    // an unknown name costs the same scrypt work as a known one, so timing does not reveal which names exist
    const ok = u ? verifyPassword(password, u.password) : (verifyPassword(password, hashPassword('x')), false);
    if (!u || !ok) {
      this.failures.set(name, { count: (f && this.now() - f.last < LOCK_MS * 10 ? f.count : 0) + 1, last: this.now() });
      throw new AppError('UNAUTHENTICATED', 'unknown user or wrong password');
    }
    this.failures.delete(name);
    const active = role ?? u.roles[0];
    if (!u.roles.includes(active)) throw new AppError('FORBIDDEN', `user ${name} does not hold the role ${active} (holds: ${u.roles.join(', ')})`);
    return { name: u.name, role: active, roles: [...u.roles], microgrids: [...u.microgrids] };
  }
}
