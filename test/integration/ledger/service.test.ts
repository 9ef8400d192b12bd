// The ledger service with the core's real passphrase key store: keys never appear in clear anywhere in the data
// folder (key files, chain state, deployment record, outbox database), and the content store checks what it returns.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassphraseFileKeyStore } from '../../../main/core/key-store';
import { LedgerService } from '../../../main/services/ledger/service';
import { sealPayload } from '../../../shared/token';
import { consumed } from '../../unit/token/fixtures';
import { tempDataDir } from './helpers';

const dirs = tempDataDir('service');
const store = new PassphraseFileKeyStore(dirs.keys, async () => 'correct horse battery staple');
const svc = new LedgerService({ keyStore: store, chainDir: dirs.chain, db: dirs.db });

afterAll(async () => {
  await svc.stop();
  rmSync(dirs.root, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('ledger service', () => {
  it('starts the local ledger and labels it as the operator record', async () => {
    await svc.start();
    expect(svc.detail()).toMatch(/^local ledger \(operator record, not a trust anchor\); outbox 0 pending/);
  });

  it('stores large envelopes by hash and refuses a swapped file', () => {
    if (svc.state.kind !== 'running') throw new Error('not running');
    const { content, keys, chain } = svc.state;
    const sealed = sealPayload(consumed, { chainId: chain.chainId, ledger: chain.addresses.settlement, tokenId: 1n, owner: keys.address }, [keys.readerKey(keys.address)]);
    const h = content.put(sealed.envelope);
    expect(h).toBe(sealed.payloadHash);
    expect(Buffer.from(content.get(h)!).equals(Buffer.from(sealed.envelope))).toBe(true);
    const f = join(dirs.chain, 'content', h.slice(2, 4), h.slice(4));
    writeFileSync(f, Buffer.from(sealed.envelope).reverse());
    expect(() => content.get(h)).toThrow(/does not match/);
  });

  it('never writes a ledger key in clear into the data folder', async () => {
    await svc.stop(); // anvil writes its state on stop: include it in the scan
    const secrets = await Promise.all(['ledger.signing', 'ledger.deployer', 'ledger.encryption.1'].map(async (n) => Buffer.from((await store.get(n))!)));
    for (const f of files(dirs.root)) {
      const b = readFileSync(f);
      for (const s of secrets) {
        expect(b.includes(s), f).toBe(false);
        expect(b.includes(Buffer.from(s.toString('hex'))), f).toBe(false);
        expect(b.includes(Buffer.from(s.toString('base64'))), f).toBe(false);
      }
    }
  });
});
