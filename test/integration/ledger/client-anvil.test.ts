import { rmSync } from 'node:fs';
import { openChain } from '../../../main/services/ledger/chain';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { clientSuite } from './client-suite';
import { PlainFileStore, tempDataDir } from './helpers';

clientSuite('embedded anvil', {
  async open() {
    const d = tempDataDir('suite-anvil');
    const keys = await LedgerKeys.open(new PlainFileStore(d.keys));
    const chain = await openChain({ dir: d.chain, keys });
    return { chain, keys, db: d.db, close: async () => (await chain.stop(), rmSync(d.root, { recursive: true, force: true })) };
  },
});
