// The PKI folder: our application certificate (created on first run), explicitly trusted server certificates, a
// rejected folder, the pending-trust list a UI prompt reads, and per-connection pins so a changed certificate stops.
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPCUACertificateManager, getHostname, makeApplicationUrn } from 'node-opcua';
import { AppError } from '../../../shared/errors';

export interface PendingTrust {
  connectionId: string;
  endpoint: string;
  thumbprint: string; // SHA-1 of the DER, lowercase hex (what OPC UA calls the thumbprint)
  subject: string;
  validTo: string;
  reason: 'untrusted' | 'changed';
  previousThumbprint?: string; // set when reason = 'changed'
}

export function thumbprintOf(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex');
}

function describe(der: Buffer): { subject: string; validTo: string } {
  try {
    const x = new X509Certificate(der);
    return { subject: x.subject.replace(/\n/g, ', '), validTo: x.validTo };
  } catch {
    return { subject: '(unreadable certificate)', validTo: '' };
  }
}

export class TrustStore {
  readonly manager: OPCUACertificateManager;
  readonly applicationUri: string;
  readonly certificateFile: string;
  private readonly pinsFile: string;
  private pins: Record<string, string>;
  private readonly pending = new Map<string, { p: PendingTrust; der: Buffer }>();

  private constructor(readonly folder: string, applicationName: string) {
    this.manager = new OPCUACertificateManager({ rootFolder: folder, automaticallyAcceptUnknownCertificate: false });
    this.applicationUri = makeApplicationUrn(getHostname(), applicationName);
    this.certificateFile = join(folder, 'own', 'certs', 'client_certificate.pem');
    this.pinsFile = join(folder, 'pins.json');
    this.pins = existsSync(this.pinsFile) ? (JSON.parse(readFileSync(this.pinsFile, 'utf8')) as Record<string, string>) : {};
  }

  /** Opens (creating on first run) the PKI folder and our self-signed application certificate. */
  static async open(folder: string, applicationName = 'ExergyConsole'): Promise<TrustStore> {
    const t = new TrustStore(folder, applicationName);
    await t.manager.initialize();
    if (!existsSync(t.certificateFile)) {
      await t.manager.createSelfSignedCertificate({
        applicationUri: t.applicationUri,
        subject: `/CN=${applicationName}/O=Exergy`,
        dns: [getHostname()],
        startDate: new Date(Date.now() - 86_400_000),
        validity: 365 * 5,
        outputFile: t.certificateFile,
      });
    }
    return t;
  }

  get privateKeyFile(): string {
    return this.manager.privateKey;
  }

  /**
   * Decides whether this connection may use this server certificate. A certificate different from the one pinned
   * for the connection is never accepted silently, even when some other connection trusts it.
   */
  async check(connectionId: string, endpoint: string, der: Buffer): Promise<PendingTrust | null> {
    const thumbprint = thumbprintOf(der);
    const pinned = this.pins[connectionId];
    const status = await this.manager.isCertificateTrusted(der);
    if (status === 'Good' && (!pinned || pinned === thumbprint)) {
      if (!pinned) this.pin(connectionId, thumbprint);
      this.pending.delete(`${connectionId}|${thumbprint}`);
      return null;
    }
    const p: PendingTrust = { connectionId, endpoint, thumbprint, ...describe(der), reason: pinned && pinned !== thumbprint ? 'changed' : 'untrusted' };
    if (p.reason === 'changed') p.previousThumbprint = pinned;
    if (status !== 'Good') await this.manager.rejectCertificate(der); // lands in pki/rejected until someone trusts it
    this.pending.set(`${connectionId}|${thumbprint}`, { p, der });
    return p;
  }

  listPending(): PendingTrust[] {
    return [...this.pending.values()].map((x) => x.p);
  }

  /** Trusts a pending certificate for the connections that asked about it (the UI prompt's "Trust"). */
  async trust(thumbprint: string): Promise<string[]> {
    const hits = [...this.pending.entries()].filter(([, v]) => v.p.thumbprint === thumbprint.toLowerCase());
    if (!hits.length) throw new AppError('NOT_FOUND', `no pending server certificate with thumbprint ${thumbprint}`);
    await this.manager.trustCertificate(hits[0][1].der);
    for (const [k, v] of hits) {
      this.pin(v.p.connectionId, v.p.thumbprint);
      this.pending.delete(k);
    }
    return hits.map(([, v]) => v.p.connectionId);
  }

  /** Trusts a certificate directly (the CLI's --trust after the operator has seen its thumbprint). */
  async trustCertificate(connectionId: string, der: Buffer): Promise<void> {
    await this.manager.trustCertificate(der);
    this.pin(connectionId, thumbprintOf(der));
    this.pending.delete(`${connectionId}|${thumbprintOf(der)}`);
  }

  async reject(thumbprint: string): Promise<void> {
    for (const [k, v] of this.pending) if (v.p.thumbprint === thumbprint.toLowerCase()) {
      await this.manager.rejectCertificate(v.der);
      this.pending.delete(k);
    }
  }

  pinned(connectionId: string): string | undefined {
    return this.pins[connectionId];
  }

  private pin(connectionId: string, thumbprint: string): void {
    this.pins = { ...this.pins, [connectionId]: thumbprint };
    writeFileSync(this.pinsFile, JSON.stringify(this.pins, null, 2));
  }

  async dispose(): Promise<void> {
    await this.manager.dispose();
  }
}
