// The contract client shared by Electron's preload (over a MessagePort) and the renderer's browser bridge (over a
// WebSocket): negotiates the version on every link-up, matches results to calls, routes pushes and frames.
import { AppError, toErrorData } from '../errors';
import type { ExergyApi, LinkState } from './api';
import type { ChannelName, Req, Res, Result, StreamName, StreamParams, StreamPush } from './index';
import { serverMessageSchema } from './wire';
import { SUPPORTED_CONTRACT_VERSIONS } from './version';

/** What a client needs from its carrier; the transport reconnects by itself and reports link changes. */
export interface Transport {
  send(text: string): void;
  onMessage(cb: (data: string | Uint8Array) => void): void;
  onLink(cb: (up: boolean) => void): void;
}

interface Pending { resolve(r: Result<unknown>): void }
interface Sub { stream: string; params: unknown; onPush(body: unknown): void }

export function createClient(transport: Transport, kind: ExergyApi['transport'], clientName = 'renderer', callTimeoutMs = 30_000): ExergyApi {
  let nextId = 1;
  let link: LinkState = 'connecting';
  let ready: Promise<void> | undefined;
  const pending = new Map<number, Pending>();
  const subs = new Map<number, Sub>();
  const frameCbs = new Set<(b: Uint8Array) => void>();
  const linkCbs = new Set<(s: LinkState) => void>();

  const setLink = (s: LinkState): void => {
    link = s;
    for (const cb of linkCbs) cb(s);
  };
  const failAll = (why: string): void => {
    for (const p of pending.values()) p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: why } });
    pending.clear();
  };

  const rawCall = (ch: string, body: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ok: false, error: { code: 'TIMEOUT', message: `${ch}: no answer within ${callTimeoutMs} ms` } });
      }, callTimeoutMs);
      pending.set(id, { resolve: (r) => { clearTimeout(timer); resolve(r); } });
      try {
        transport.send(JSON.stringify({ t: 'call', id, ch, body }));
      } catch (e) {
        pending.delete(id);
        clearTimeout(timer);
        resolve({ ok: false, error: toErrorData(e) });
      }
    });

  const hello = async (): Promise<void> => {
    const r = await rawCall('hello', { versions: [...SUPPORTED_CONTRACT_VERSIONS], client: clientName });
    if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.info);
    // a new link is a new core session: re-subscribe what the UI still wants
    for (const [id, s] of subs) transport.send(JSON.stringify({ t: 'sub', id, stream: s.stream, params: s.params }));
  };

  transport.onLink((up) => {
    if (up) {
      ready = hello();
      ready.then(() => setLink('up'), () => setLink('down'));
    } else {
      ready = undefined;
      failAll('link to the core lost');
      setLink(link === 'connecting' ? 'connecting' : 'down');
    }
  });

  transport.onMessage((data) => {
    if (typeof data !== 'string') {
      for (const cb of frameCbs) cb(data);
      return;
    }
    let msg;
    try {
      msg = serverMessageSchema.parse(JSON.parse(data));
    } catch {
      return; // a malformed message from the core is dropped, not trusted
    }
    if (msg.t === 'result') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      p.resolve(msg.ok ? { ok: true, value: msg.body } : { ok: false, error: { ...msg.error, code: msg.error.code as never } });
    } else if (msg.t === 'push') {
      subs.get(msg.id)?.onPush(msg.body);
    }
  });

  return {
    transport: kind,
    async call<C extends ChannelName>(channel: C, request: Req<C>): Promise<Result<Res<C>>> {
      if (!ready) return { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected to the core' } };
      try {
        await ready;
      } catch (e) {
        return { ok: false, error: toErrorData(e) };
      }
      return (await rawCall(channel, request)) as Result<Res<C>>;
    },
    subscribe<S extends StreamName>(stream: S, params: StreamParams<S>, onPush: (body: StreamPush<S>) => void): () => void {
      const id = nextId++;
      subs.set(id, { stream, params, onPush: onPush as (b: unknown) => void });
      if (link === 'up') transport.send(JSON.stringify({ t: 'sub', id, stream, params }));
      return () => {
        subs.delete(id);
        if (link === 'up') transport.send(JSON.stringify({ t: 'unsub', id }));
      };
    },
    onFrame(cb) {
      frameCbs.add(cb);
      return () => frameCbs.delete(cb);
    },
    onLink(cb) {
      linkCbs.add(cb);
      cb(link);
      return () => linkCbs.delete(cb);
    },
  };
}
