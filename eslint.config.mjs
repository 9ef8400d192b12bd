// Lint rules that carry the architecture: the folder is the layer (STYLE.md), imports point one way.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// bare names go in `paths` (exact match): as `patterns` they would also match our own folders (features/events)
const nodeBuiltins = ['electron', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'stream', 'events', 'url', 'util'];
const banned = (names, message) => ({
  paths: names.map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'bench/results/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './shared', from: ['./main', './preload', './renderer', './test'], message: 'shared/ imports nothing of ours' },
            { target: './renderer', from: ['./main', './preload'], message: 'renderer uses shared/ and the bridge only' },
            { target: './preload', from: ['./main', './renderer'], message: 'preload uses electron and shared/ only' },
            { target: './main', from: ['./renderer', './preload'], message: 'nothing imports renderer' },
            { target: './main/services', from: ['./main/electron', './main/host', './main/cli'], message: 'services never import hosts' },
            { target: './main/core', from: ['./main/electron', './main/host', './main/cli'], message: 'the core never imports its hosts' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', banned([...nodeBuiltins, 'react', 'react-dom'], 'shared/ is pure TypeScript: no Electron, Node or DOM')],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/refs': 'off',
      'no-restricted-imports': ['error', banned(nodeBuiltins, 'renderer runs in the browser: no Electron or Node')],
    },
  },
  {
    files: ['main/services/**/*.ts', 'main/core/**/*.ts', 'main/host/**/*.ts', 'main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'only main/electron may import electron' }] }] },
  },
);
