// One build for three targets: main (Electron main, the plain-Node core and the CLI, dependencies external),
// preload (CommonJS, one self-contained file so it runs sandboxed) and the React renderer (relative asset paths,
// so the same files load from the custom protocol under Electron and from the browser host).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = __dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          electron: resolve(root, 'main/electron/index.ts'),
          core: resolve(root, 'main/core/index.ts'),
          cli: resolve(root, 'main/cli/index.ts'),
          'historian-worker': resolve(root, 'main/services/historian/historian-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // bundle everything (zod included): a sandboxed preload can require only 'electron'
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
