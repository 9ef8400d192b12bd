#!/usr/bin/env node
// Compiles resources/contracts/src (product) and test-src (test doubles) with the pinned solc npm package, reading
// OpenZeppelin imports from node_modules; writes artifacts/<Name>.json (abi+bytecode) and build-info.json (hash).
// `--json` prints a fresh compile instead; test/unit/contracts/artifacts.test.ts compares it with the committed files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOLC_VERSION = '0.8.30+commit.73712a01';
export const EVM_VERSION = 'prague';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const contractsDir = join(root, 'resources', 'contracts');

function findImports(path) {
  try {
    if (path.startsWith('@openzeppelin/')) return { contents: readFileSync(require.resolve(path), 'utf8') };
    const local = join(contractsDir, path);
    if (existsSync(local)) return { contents: readFileSync(local, 'utf8') };
    return { error: `not found: ${path}` };
  } catch (e) {
    return { error: String(e) };
  }
}

function sourcesOf(dir) {
  const abs = join(contractsDir, dir);
  const out = {};
  for (const f of readdirSync(abs).filter((n) => n.endsWith('.sol')).sort()) out[`${dir}/${f}`] = { content: readFileSync(join(abs, f), 'utf8') };
  return out;
}

/** Compiles one source folder; returns {artifacts: {Name: {...}}, buildInfo}. */
export function compile(dir) {
  const solc = require('solc');
  if (!solc.version().startsWith(SOLC_VERSION)) throw new Error(`solc ${solc.version()} is not the pinned ${SOLC_VERSION}`);
  const input = {
    language: 'Solidity',
    sources: sourcesOf(dir),
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: true,
      metadata: { bytecodeHash: 'none', appendCBOR: false },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const artifacts = {};
  for (const [file, contracts] of Object.entries(out.contracts)) {
    if (!file.startsWith(`${dir}/`)) continue; // OpenZeppelin's own contracts are not artifacts of ours
    for (const [name, c] of Object.entries(contracts)) {
      if (!c.evm.bytecode.object) continue; // interfaces and libraries without code
      artifacts[name] = { contractName: name, sourceName: file, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
    }
  }
  // The hash covers every source (ours and OpenZeppelin's as resolved) and the settings, as a verifier would.
  const used = { ...input.sources };
  for (const f of Object.keys(out.sources)) if (!used[f]) used[f] = { content: findImports(f).contents };
  const canonical = JSON.stringify({ solc: SOLC_VERSION, settings: input.settings, sources: Object.fromEntries(Object.keys(used).sort().map((k) => [k, createHash('sha256').update(used[k].content).digest('hex')])) });
  const buildInfo = { solcVersion: SOLC_VERSION, evmVersion: EVM_VERSION, settings: input.settings, buildHash: `0x${createHash('sha256').update(canonical).digest('hex')}`, sources: JSON.parse(canonical).sources, contracts: Object.keys(artifacts).sort() };
  return { artifacts, buildInfo };
}

function write(dir, outDir) {
  const { artifacts, buildInfo } = compile(dir);
  mkdirSync(outDir, { recursive: true });
  for (const [name, a] of Object.entries(artifacts)) writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(a, null, 2)}\n`);
  writeFileSync(join(outDir, 'build-info.json'), `${JSON.stringify(buildInfo, null, 2)}\n`);
  process.stdout.write(`${relative(root, outDir)}: ${buildInfo.contracts.join(', ')} (${buildInfo.buildHash.slice(0, 18)}…)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--json')) {
  // Fresh compile to stdout, nothing written: the unit test compares it with the committed artifacts.
  process.stdout.write(JSON.stringify({ src: compile('src'), testSrc: compile('test-src') }));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  write('src', join(contractsDir, 'artifacts'));
  if (readdirSync(join(contractsDir, 'test-src')).some((f) => f.endsWith('.sol'))) write('test-src', join(contractsDir, 'artifacts', 'test'));
}
