// The preload: one `window.exergy` (ExergyApi, declared in shared/contract/api.ts) exposing verbs only. It owns the
// MessagePort that main hands over and speaks the contract over it; the page never sees ipcRenderer or the port.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ExergyApi } from '../shared/contract/api';
import { createClient, type Transport } from '../shared/contract/client';

type RendererPort = IpcRendererEvent['ports'][number];
let port: RendererPort | undefined;
const messageCbs: Array<(data: string | Uint8Array) => void> = [];
const linkCbs: Array<(up: boolean) => void> = [];

const transport: Transport = {
  send(text) {
    if (!port) throw new Error('no link to the core yet');
    port.postMessage(text);
  },
  onMessage: (cb) => void messageCbs.push(cb),
  onLink: (cb) => void linkCbs.push(cb),
};

// main sends a fresh port after every load of our own page; an old one is closed first
ipcRenderer.on('exergy:port', (event) => {
  const next = event.ports[0];
  if (!next) return;
  if (port) {
    port.close();
    for (const cb of linkCbs) cb(false);
  }
  port = next;
  port.onmessage = (e: { data: unknown }) => {
    const d = e.data;
    const data = typeof d === 'string' ? d : d instanceof Uint8Array ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : undefined;
    if (data !== undefined) for (const cb of messageCbs) cb(data);
  };
  port.start();
  for (const cb of linkCbs) cb(true);
});

const client = createClient(transport, 'electron');
const api: ExergyApi = {
  transport: 'electron',
  call: (channel, request) => client.call(channel, request),
  subscribe: (stream, params, onPush) => client.subscribe(stream, params, onPush),
  onFrame: (cb) => client.onFrame(cb),
  onLink: (cb) => client.onLink(cb),
};
contextBridge.exposeInMainWorld('exergy', api);
