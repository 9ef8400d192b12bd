// Renderer entry: starts the bridge (Electron port or browser WebSocket), wires link and status into the store,
// and mounts the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { App } from './app/app';
import { linkChanged, tokenResult } from './app/session-slice';
import { store } from './app/store';
import { startBridge } from './bridge';
import { telemetry } from './streams/telemetry-store';
import './styles.css';

void startBridge().then(({ api, token }) => {
  store.dispatch(tokenResult(token));
  api.onLink((state) => store.dispatch(linkChanged(state)));
  api.onFrame((bytes) => telemetry.ingest(bytes));
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider store={store}>
      <App />
    </Provider>
  </StrictMode>,
);
