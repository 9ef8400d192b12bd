// The node's ledger keys, held in the core only: a signing key (EIP-712 reports, transactions), a separate
// per-install deployer key, and an encryption key with epochs (old epochs kept to open old wraps). Secrets live
// only in the KeyStore (encrypted at rest); nothing here writes a key anywhere else.
import { secp256k1 } from '@noble/curves/secp256k1';
import { SigningKey, Wallet, computeAddress, hexlify, type Provider } from 'ethers';
import { AppError } from '../../../shared/errors';
import type { ReaderKey, ReaderSecret } from '../../../shared/token';

/** The part of the core's KeyStore (main/core/key-store.ts) the ledger needs; declared here to keep services leaf. */
export interface SecretStore {
  get(name: string): Promise<Uint8Array | undefined>;
  put(name: string, secret: Uint8Array): Promise<void>;
}

const SIGNING = 'ledger.signing';
const DEPLOYER = 'ledger.deployer';
const ENC_CURRENT = 'ledger.encryption.epoch';
const encName = (epoch: number): string => `ledger.encryption.${epoch}`;

async function getOrCreate(store: SecretStore, name: string): Promise<Uint8Array> {
  const have = await store.get(name);
  if (have) {
    if (have.length !== 32 || !secp256k1.utils.isValidPrivateKey(have)) throw new AppError('SECURITY', `key store entry ${name} is not a secp256k1 private key`, { name });
    return have;
  }
  const fresh = secp256k1.utils.randomPrivateKey();
  await store.put(name, fresh);
  return fresh;
}

export class LedgerKeys {
  private constructor(
    private readonly store: SecretStore,
    private readonly signing: Uint8Array,
    private readonly deployerKey: Uint8Array,
    private epoch: number,
    private readonly enc: Map<number, Uint8Array>,
  ) {}

  /** Loads the keys, creating whichever is missing (first start of an install). */
  static async open(store: SecretStore): Promise<LedgerKeys> {
    const signing = await getOrCreate(store, SIGNING);
    const deployer = await getOrCreate(store, DEPLOYER);
    const cur = await store.get(ENC_CURRENT);
    const epoch = cur ? new DataView(cur.buffer, cur.byteOffset).getUint32(0) : 1;
    if (!cur) await store.put(ENC_CURRENT, u32(1));
    const enc = new Map<number, Uint8Array>([[epoch, await getOrCreate(store, encName(epoch))]]);
    return new LedgerKeys(store, signing, deployer, epoch, enc);
  }

  get address(): string {
    return computeAddress(hexlify(secp256k1.getPublicKey(this.signing, false)));
  }
  get deployerAddress(): string {
    return computeAddress(hexlify(secp256k1.getPublicKey(this.deployerKey, false)));
  }
  /** Compressed signing public key, as Registry.register takes it. */
  get signingPublicKey(): Uint8Array {
    return secp256k1.getPublicKey(this.signing, true);
  }
  get encryptionEpoch(): number {
    return this.epoch;
  }
  encryptionPublicKey(epoch = this.epoch): Uint8Array {
    return secp256k1.getPublicKey(this.encKey(epoch), true);
  }

  wallet(provider?: Provider): Wallet {
    return new Wallet(new SigningKey(hexlify(this.signing)), provider ?? null);
  }
  /** The encryption key as a wallet, only to sign the registry's proof of possession (never to send). */
  encryptionWallet(epoch = this.epoch): Wallet {
    return new Wallet(new SigningKey(hexlify(this.encKey(epoch))));
  }
  deployerWallet(provider?: Provider): Wallet {
    return new Wallet(new SigningKey(hexlify(this.deployerKey)), provider ?? null);
  }

  /** Signs a 32-byte digest (EIP-712 hash) with the signing key: 65-byte r‖s‖v. */
  signDigest(digest: string): string {
    return new SigningKey(hexlify(this.signing)).sign(digest).serialized;
  }
  /** Proof of possession for the registry: the encryption key signs the registration digest too. */
  signDigestWithEncryptionKey(digest: string, epoch = this.epoch): string {
    return new SigningKey(hexlify(this.encKey(epoch))).sign(digest).serialized;
  }

  readerKey(id: string, epoch = this.epoch): ReaderKey {
    return { id, epoch, publicKey: this.encryptionPublicKey(epoch) };
  }
  readerSecret(id: string, epoch = this.epoch): ReaderSecret {
    return { id, epoch, privateKey: this.encKey(epoch) };
  }

  /** Starts a new encryption epoch; older epochs stay loadable so past wraps still open. */
  async rotateEncryptionKey(): Promise<number> {
    const next = this.epoch + 1;
    const key = secp256k1.utils.randomPrivateKey();
    await this.store.put(encName(next), key); // key first, pointer second: a crash in between loses nothing
    await this.store.put(ENC_CURRENT, u32(next));
    this.enc.set(next, key);
    this.epoch = next;
    return next;
  }

  /** Loads an older epoch's key on demand (opening a wrap made before a rotation). */
  async loadEpoch(epoch: number): Promise<void> {
    if (this.enc.has(epoch)) return;
    const k = await this.store.get(encName(epoch));
    if (!k) throw new AppError('NOT_FOUND', `no encryption key for epoch ${epoch}`, { epoch });
    this.enc.set(epoch, k);
  }

  private encKey(epoch: number): Uint8Array {
    const k = this.enc.get(epoch);
    if (!k) throw new AppError('NOT_FOUND', `encryption key epoch ${epoch} is not loaded (call loadEpoch)`, { epoch });
    return k;
  }
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}
