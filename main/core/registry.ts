// The shapes services plug in with: a service (start/stop with a state), a handler for a contract channel with
// the roles allowed to call it, and a push stream with the roles allowed to subscribe.
import type { ChannelName, ParsedReq, Res, Role, StreamName, UserInfo } from '../../shared/contract';

/** Service state machine: stopped → starting → running → stopping → stopped; starting|running → failed. */
export type ServiceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface ServiceDef {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  /** a short human line for the status bar (e.g. "3 servers, 1200 items") */
  detail?(): string | undefined;
}

/** 'public': no login needed; 'any': any logged-in user; else the session's role must be listed. */
export type Access = 'public' | 'any' | readonly Role[];

export interface CallContext {
  user: UserInfo | null;
  sessionId: string;
  host: string;
  remote: string;
}

export interface HandlerDef<C extends ChannelName> {
  roles: Access;
  /** false only for reads that change nothing and reveal nothing (hello, whoami, status) */
  journal?: boolean;
  handler(req: ParsedReq<C>, ctx: CallContext): Promise<Res<C>> | Res<C>;
}

export interface StreamHandlerDef {
  roles: Access;
  /** called for every new subscriber, e.g. to send it the current snapshot */
  onSubscribe?(push: (body: unknown) => void, params: unknown, ctx: CallContext): void;
}

export function allowed(access: Access, user: UserInfo | null): boolean {
  if (access === 'public') return true;
  if (!user) return false;
  return access === 'any' || access.includes(user.role);
}

/** For microgrid-scoped commands: a microgrid-controller may act only on the microgrids named in its user record. */
export function canCommandMicrogrid(user: UserInfo | null, microgrid: string): boolean {
  if (!user) return false;
  if (user.role === 'dso-operator' || user.role === 'admin') return true;
  return user.role === 'microgrid-controller' && user.microgrids.includes(microgrid);
}

export type AnyHandler = HandlerDef<ChannelName>;
export type StreamRegistry = Map<StreamName, StreamHandlerDef>;
