// Test-only helpers for the ledger integration tests: a key store over plain files in a temp folder (the real
// one is main/core/key-store.ts), a temp data folder, and a DER wallet that registers and signs as provider.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore } from '../../../main/services/ledger/keys';
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';
import type { LedgerClient } from '../../../main/services/ledger/client';
import { computeAmount, ROLE, stateSeen, type Report, type Terms } from '../../../main/services/ledger/contracts';
import { registrationProof, signReport } from '../../../main/services/ledger/contracts-deploy';

export class PlainFileStore implements SecretStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  async get(name: string): Promise<Uint8Array | undefined> {
    const f = join(this.dir, name);
    return existsSync(f) ? new Uint8Array(Buffer.from(readFileSync(f, 'utf8'), 'hex')) : undefined;
  }
  async put(name: string, secret: Uint8Array): Promise<void> {
    writeFileSync(join(this.dir, name), Buffer.from(secret).toString('hex'));
  }
}

export function tempDataDir(tag: string): { root: string; chain: string; keys: string; db: string } {
  const root = mkdtempSync(join(tmpdir(), `exergy-ledger-${tag}-`));
  const d = { root, chain: join(root, 'chain'), keys: join(root, 'keys'), db: join(root, 'db', 'historian.sqlite') };
  for (const p of [d.chain, d.keys, join(root, 'db')]) mkdirSync(p, { recursive: true });
  return d;
}

// ---- a small market on a ledger chain: this node as bonded DSO, one bonded DER, one offer, pre-signed reports ----

export const MULTS = [10_000, 15_000, 20_000, 30_000, 0, 0, 0, 0];
export const idOf = (name: string): string => keccak256(toUtf8Bytes(`participant/${name}`));

export async function setupMarket(client: LedgerClient, tag = 'm'): Promise<{ der: Wallet; offerId: string; terms: Terms }> {
  const chain = client.chain;
  const der = new Wallet(keccak256(toUtf8Bytes(`exergy-ledger-test/der/${tag}`)));
  const derEnc = new Wallet(keccak256(toUtf8Bytes(`exergy-ledger-test/der-enc/${tag}`)));
  const minBond = (await client.registry.minBond()) as bigint;
  const dsoId = idOf(`dso/${client.keys.address}`);
  if ((await client.signerOf(dsoId)) === '0x0000000000000000000000000000000000000000') {
    await client.waitFor((await client.registerSelf(dsoId, ROLE.DSO)).key);
    await client.waitFor(client.bond(dsoId, minBond, `bond:${dsoId}`).key);
  }
  const derId = idOf(`der/${der.address}`);
  if ((await client.signerOf(derId)) === '0x0000000000000000000000000000000000000000') {
    const proof = await registrationProof(chain.addresses.registry, chain.chainId, derId, ROLE.DER, der.address, der, derEnc);
    await client.waitFor(client.registerParticipant(derId, ROLE.DER, der.address, proof).key);
    await client.waitFor(client.bond(derId, minBond, `bond:${derId}`).key);
  }
  const now = BigInt((await chain.provider.getBlock('latest'))!.timestamp);
  const terms: Terms = { provider: der.address, serviceClass: 0, price: 150_000_000_000_000_000n, multipliers: MULTS, quantity: 10_000_000n, escrow: 10n ** 22n, windowStart: now - 60n, windowEnd: now + 86_400n, salt: keccak256(toUtf8Bytes(`${tag}/${now}`)) };
  const posted = await client.postOffer(terms);
  await client.waitFor(posted.key);
  return { der, offerId: posted.offerId, terms };
}

/** n consecutive reports from `fromSeq`, each with the state the parties predict after the previous ones. */
export async function signedReports(client: LedgerClient, der: Wallet, offerId: string, terms: Terms, n: number, fromSeq = 0n): Promise<{ r: Report; providerSig: string; beneficiarySig: string }[]> {
  const off = await client.offer(offerId);
  let qtyLeft = off.qtyLeft;
  let escrowLeft = off.escrowLeft;
  const now = BigInt((await client.chain.provider.getBlock('latest'))!.timestamp);
  const out = [];
  for (let i = 0; i < n; i++) {
    const seq = fromSeq + BigInt(i);
    const qty = 1000n + BigInt(i);
    const band = i % 4;
    const r: Report = {
      offerId, seq, qtyMeasured: qty, qtySettled: qty, band, period: now - 30n,
      payloadHash: keccak256(toUtf8Bytes(`payload/${offerId}/${seq}`)), keyCommitment: keccak256(toUtf8Bytes(`key/${seq}`)),
      classifiers: BigInt(i), stateSeen: stateSeen(offerId, seq, qtyLeft, escrowLeft), deadline: now + 86_400n,
    };
    const providerSig = await signReport(der, client.chain.addresses.settlement, client.chain.chainId, r);
    out.push({ r, providerSig, beneficiarySig: client.sign(client.reportDigest(r)) });
    qtyLeft -= qty;
    escrowLeft -= computeAmount(qty, terms.price, MULTS[band]);
  }
  return out;
}

export const toJson = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? { $big: v.toString() } : v));
export const fromJson = <T>(s: string): T => JSON.parse(s, (_k, v) => (v && typeof v === 'object' && '$big' in v ? BigInt(v.$big) : v)) as T;
