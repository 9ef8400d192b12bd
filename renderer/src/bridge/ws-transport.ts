// The browser host's carrier: exchanges the URL-fragment token for the session cookie once, then keeps a
// WebSocket to /ws open (reconnecting with backoff). Text frames are the contract, binary ones telemetry.
import type { Transport } from '../../../shared/contract/client';

/** Trades #token=… for an HttpOnly cookie and removes it from the address bar and history. */
export async function exchangeFragmentToken(): Promise<'exchanged' | 'none' | 'refused'> {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!m) return 'none';
  history.replaceState(null, '', location.pathname + location.search);
  const r = await fetch('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: m[1] }), credentials: 'same-origin' });
  return r.ok ? 'exchanged' : 'refused';
}

export function webSocketTransport(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`): Transport {
  let ws: WebSocket | undefined;
  let delay = 500;
  const msgCbs: Array<(d: string | Uint8Array) => void> = [];
  const linkCbs: Array<(up: boolean) => void> = [];
  const open = (): void => {
    const s = new WebSocket(url);
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      ws = s;
      delay = 500;
      for (const cb of linkCbs) cb(true);
    };
    s.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      const d = typeof e.data === 'string' ? e.data : new Uint8Array(e.data);
      for (const cb of msgCbs) cb(d);
    };
    s.onclose = () => {
      const wasUp = ws === s;
      ws = undefined;
      if (wasUp) for (const cb of linkCbs) cb(false);
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  setTimeout(open, 0);
  return {
    send(text) {
      if (!ws) throw new Error('no link to the host');
      ws.send(text);
    },
    onMessage: (cb) => void msgCbs.push(cb),
    onLink: (cb) => void linkCbs.push(cb),
  };
}
