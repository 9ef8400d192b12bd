// The renderer's only door to the core: window.exergy under Electron, a WebSocket client under the browser host.
// Both are the same ExergyApi (shared/contract/api.ts), so nothing above this folder knows which host it runs in.
import type { ExergyApi } from '../../../shared/contract/api';
import { createClient } from '../../../shared/contract/client';
import { exchangeFragmentToken, webSocketTransport } from './ws-transport';

let api: ExergyApi | undefined;

export interface BridgeStart {
  api: ExergyApi;
  /** browser host only: what happened to the URL's access token */
  token: 'exchanged' | 'none' | 'refused' | 'electron';
}

export async function startBridge(): Promise<BridgeStart> {
  if (window.exergy) {
    api = window.exergy;
    return { api, token: 'electron' };
  }
  let token: BridgeStart['token'] = 'none';
  try {
    token = await exchangeFragmentToken();
  } catch {
    token = 'refused';
  }
  api = createClient(webSocketTransport(), 'websocket');
  return { api, token };
}

export function bridge(): ExergyApi {
  if (!api) throw new Error('bridge not started');
  return api;
}
