// The foundation's own handlers: hello (version), login/logout/whoami, settings, the journal, endpoints and
// system status. Roles are enforced here, in the core, whatever the UI shows.
import { negotiateVersion } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Core } from './core';

export function registerCoreHandlers(core: Core): void {
  const session = (id: string) => {
    const s = core.sessions.get(id);
    if (!s) throw new AppError('UNAVAILABLE', 'session closed');
    return s;
  };

  core.registerHandler('hello', {
    roles: 'public',
    journal: false,
    handler(req, ctx) {
      const version = negotiateVersion(req.versions);
      if (version === undefined) throw new AppError('CONFLICT', `no common contract version: client speaks ${req.versions.join(', ')}, core speaks 1`, { offered: req.versions });
      session(ctx.sessionId).greeted = true;
      return { version, server: `exergy-core ${core.status().version}`, host: core.options.host, authMode: core.settings.get<{ mode: 'local' | 'users' }>('auth').mode };
    },
  });

  core.registerHandler('auth.login', {
    roles: 'public',
    handler(req, ctx) {
      const s = session(ctx.sessionId);
      s.user = null; // a failed login leaves the session logged out
      s.user = core.users.authenticate(req.user, req.password, req.role);
      core.log.info({ user: s.user.name, role: s.user.role, host: ctx.host, remote: ctx.remote }, 'login');
      return s.user;
    },
  });

  core.registerHandler('auth.logout', {
    roles: 'any',
    handler(_req, ctx) {
      const s = session(ctx.sessionId);
      s.user = null;
      s.subs.clear();
      s.telemetry = false;
      return { ok: true as const };
    },
  });

  core.registerHandler('auth.whoami', { roles: 'public', journal: false, handler: (_req, ctx) => ({ user: ctx.user }) });

  core.registerHandler('settings.get', { roles: ['admin', 'dso-operator', 'auditor'], handler: () => ({ settings: core.settings.all() }) });

  core.registerHandler('settings.put', {
    roles: ['admin'],
    handler(req) {
      core.settings.put(req.section, req.value);
      return { settings: core.settings.all(), restartRequired: ['host', 'auth'].includes(req.section) };
    },
  });

  core.registerHandler('journal.query', {
    roles: ['auditor', 'admin', 'dso-operator'],
    handler(req) {
      const v = core.journal.verify();
      return { lines: core.journal.query(req), verified: v.ok, ...(v.brokenAt !== undefined ? { brokenAt: v.brokenAt } : {}) };
    },
  });

  core.registerHandler('connections.list', { roles: 'any', journal: false, handler: () => ({ connections: core.listConnections() }) });
  core.registerHandler('system.status', { roles: 'any', journal: false, handler: () => core.status() });

  core.registerStream('status', { roles: 'any', onSubscribe: (push) => push(core.status()) });
  core.registerStream('telemetry', { roles: 'any' });
  core.registerStream('alarms', { roles: 'any' });
  core.registerStream('events', { roles: 'any' });
}
