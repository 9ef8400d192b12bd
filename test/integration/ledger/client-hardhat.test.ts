import { rmSync } from 'node:fs';
import { openChain } from '../../../main/services/ledger/chain';
import { LedgerKeys } from '../../../main/services/ledger/keys';
import { clientSuite } from './client-suite';
import { deployToExternal, startHardhatNode } from './hardhat-node';
import { PlainFileStore, tempDataDir } from './helpers';

clientSuite('hardhat node', {
  async open() {
    const d = tempDataDir('suite-hardhat');
    const node = await startHardhatNode();
    const keys = await LedgerKeys.open(new PlainFileStore(d.keys));
    const addresses = await deployToExternal(node.rpcUrl, keys, d.chain);
    const chain = await openChain({ dir: d.chain, keys, config: { rpcUrl: node.rpcUrl, addresses } });
    return { chain, keys, db: d.db, close: async () => (await chain.stop(), await node.stop(), rmSync(d.root, { recursive: true, force: true })) };
  },
});
