// The one client API the renderer uses, whichever host it runs under: Electron's preload exposes it as
// `window.exergy` over a MessagePort; the browser host's bridge builds the same object over a WebSocket.
import type { ChannelName, Req, Res, Result, StreamName, StreamParams, StreamPush } from './index';

export type LinkState = 'connecting' | 'up' | 'down';

export interface ExergyApi {
  readonly transport: 'electron' | 'websocket';
  /** a contract call; never rejects: errors come back as data */
  call<C extends ChannelName>(channel: C, request: Req<C>): Promise<Result<Res<C>>>;
  /** JSON push streams; returns the unsubscribe verb */
  subscribe<S extends StreamName>(stream: S, params: StreamParams<S>, onPush: (body: StreamPush<S>) => void): () => void;
  /** binary telemetry frames (decode with frame.ts `decodeFrame`) */
  onFrame(cb: (bytes: Uint8Array) => void): () => void;
  onLink(cb: (state: LinkState) => void): () => void;
}

declare global {
  interface Window {
    /** present only under Electron (preload) */
    exergy?: ExergyApi;
  }
}
