// One connected UI (a MessagePort under Electron, a WebSocket under the browser host): parses every envelope and
// payload, checks the session's user and role, journals every command whatever its outcome, returns errors as data.
import { randomUUID } from 'node:crypto';
import { CHANNELS, STREAMS, isChannel, isStream, type UserInfo } from '../../shared/contract';
import { clientMessageSchema, MAX_TEXT_MESSAGE, type ServerMessage } from '../../shared/contract/wire';
import { AppError, toErrorData, type AppErrorData } from '../../shared/errors';
import { allowed, type AnyHandler, type CallContext, type StreamRegistry } from './registry';
import type { Journal } from './journal';

export interface SessionPeer {
  host: 'electron' | 'browser' | 'cli';
  remote: string;
  sendText(text: string): void;
  /** returns false when the frame was dropped (slow consumer) */
  sendBinary(bytes: Uint8Array): boolean;
}

export interface SessionDeps {
  handlers: Map<string, AnyHandler>;
  streams: StreamRegistry;
  journal: Journal;
  onClose(s: Session): void;
}

const SECRET_KEYS = new Set(['password', 'passphrase', 'token', 'privateKey', 'secret']);
function redact(body: unknown, extra: readonly string[] = []): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = SECRET_KEYS.has(k) || extra.includes(k) ? '***' : v;
  const text = JSON.stringify(out);
  return text.length > 2000 ? { truncated: text.slice(0, 2000) } : out;
}

function zodError(channel: string, issues: { path: PropertyKey[]; message: string }[]): AppError {
  const fields = issues.map((i) => i.path.map(String).join('.') || '(body)');
  return new AppError('INVALID_ARGUMENT', `${channel}: ${issues.map((i, n) => `${fields[n]}: ${i.message}`).join('; ')}`, { channel, fields });
}

export class Session {
  readonly id = randomUUID();
  user: UserInfo | null = null;
  greeted = false;
  telemetry = false;
  framesDropped = 0;
  readonly subs = new Map<number, string>();

  constructor(readonly peer: SessionPeer, private readonly deps: SessionDeps) {}

  get ctx(): CallContext {
    return { user: this.user, sessionId: this.id, host: this.peer.host, remote: this.peer.remote };
  }

  send(msg: ServerMessage): void {
    this.peer.sendText(JSON.stringify(msg));
  }

  push(id: number, stream: string, body: unknown): void {
    this.send({ t: 'push', id, stream, body });
  }

  close(): void {
    this.subs.clear();
    this.telemetry = false;
    this.deps.onClose(this);
  }

  /** Handles one text message; never throws. */
  async receive(text: string): Promise<void> {
    if (text.length > MAX_TEXT_MESSAGE) return this.send({ t: 'fatal', error: { code: 'INVALID_ARGUMENT', message: `message of ${text.length} bytes exceeds ${MAX_TEXT_MESSAGE}` } });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.send({ t: 'fatal', error: { code: 'INVALID_ARGUMENT', message: 'message is not JSON' } });
    }
    const env = clientMessageSchema.safeParse(raw);
    if (!env.success) return this.send({ t: 'fatal', error: zodError('envelope', env.error.issues).toData() });
    const msg = env.data;
    if (msg.t === 'call') return this.call(msg.id, msg.ch, msg.body);
    if (msg.t === 'sub') return this.subscribe(msg.id, msg.stream, msg.params);
    this.subs.delete(msg.id);
    if (![...this.subs.values()].includes('telemetry')) this.telemetry = false;
  }

  private async call(id: number, ch: string, body: unknown): Promise<void> {
    let handler: AnyHandler | undefined;
    let outcome: AppErrorData | undefined;
    let result: unknown;
    try {
      if (!isChannel(ch)) throw new AppError('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(ch.slice(0, 64))}`, { channel: ch.slice(0, 64) });
      handler = this.deps.handlers.get(ch);
      if (!handler) throw new AppError('UNAVAILABLE', `channel ${ch} has no service behind it yet`, { channel: ch });
      if (ch !== 'hello' && !this.greeted) throw new AppError('INVALID_ARGUMENT', 'call hello first to agree on the contract version', { expected: 'hello' });
      if (!allowed(handler.roles, this.user)) {
        throw this.user
          ? new AppError('FORBIDDEN', `role ${this.user.role} may not call ${ch}`, { channel: ch, role: this.user.role, allowed: handler.roles })
          : new AppError('UNAUTHENTICATED', `log in to call ${ch}`, { channel: ch });
      }
      const def = CHANNELS[ch];
      const parsed = def.request.safeParse(body ?? {});
      if (!parsed.success) throw zodError(ch, parsed.error.issues);
      const value = await handler.handler(parsed.data as never, this.ctx);
      const checked = def.response.safeParse(value);
      if (!checked.success) throw new AppError('INTERNAL', `${ch}: the service answered outside the contract`, { channel: ch, fields: checked.error.issues.map((i) => i.path.join('.')) });
      result = checked.data;
    } catch (e) {
      outcome = toErrorData(e);
    }
    if (handler?.journal !== false) {
      const who = this.user;
      const redactKeys = isChannel(ch) ? (CHANNELS[ch] as { redact?: readonly string[] }).redact : undefined;
      try {
        this.deps.journal.append({ user: who?.name ?? '-', role: who?.role ?? '-', host: `${this.peer.host} ${this.peer.remote}`, channel: ch.slice(0, 128), outcome: outcome?.code ?? 'ok', detail: { request: redact(body, redactKeys), ...(outcome ? { error: outcome.message } : {}) } });
      } catch (e) {
        // a command whose journal line cannot be written is reported as failed: nothing unjournaled succeeds silently
        if (!outcome) outcome = toErrorData(e);
      }
    }
    this.send(outcome ? { t: 'result', id, ok: false, error: outcome } : { t: 'result', id, ok: true, body: result });
  }

  private subscribe(id: number, stream: string, params: unknown): void {
    const fail = (error: AppErrorData): void => this.send({ t: 'end', id, error });
    if (!this.greeted) return fail({ code: 'INVALID_ARGUMENT', message: 'call hello first' });
    if (!isStream(stream)) return fail({ code: 'UNKNOWN_CHANNEL', message: `unknown stream ${JSON.stringify(stream.slice(0, 64))}` });
    const def = this.deps.streams.get(stream) ?? { roles: 'any' as const };
    if (!allowed(def.roles, this.user)) return fail(this.user ? { code: 'FORBIDDEN', message: `role ${this.user.role} may not subscribe to ${stream}` } : { code: 'UNAUTHENTICATED', message: `log in to subscribe to ${stream}` });
    const p = STREAMS[stream].params.safeParse(params ?? {});
    if (!p.success) return fail(zodError(stream, p.error.issues).toData());
    this.subs.set(id, stream);
    if (STREAMS[stream].binary) this.telemetry = true;
    def.onSubscribe?.((body) => this.push(id, stream, body), p.data, this.ctx);
  }
}
