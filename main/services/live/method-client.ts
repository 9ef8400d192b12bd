// The core's command session on a server: calls OPC UA methods (microgrid Island/Reconnect, scenarios) and returns
// their outcome as data — the StatusCode's name and the Result text, which names the quantity on a sync refusal.
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, UserTokenType, type ClientSession, type Variant } from 'node-opcua';
import { AppError } from '../../../shared/errors';
import { CATALOG_NAMESPACE } from './embedded-simulator';

export interface MethodOutcome {
  ok: boolean;
  status: string;
  result: string;
  quantity?: string;
}

export class MethodClient {
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private ns = -1;
  private certs: OPCUACertificateManager | undefined;

  constructor(
    private readonly endpointUrl: string,
    private readonly user: { username: string; password: string },
    private readonly pkiRoot: string,
  ) {}

  /**
   * Opens a SignAndEncrypt session (the password never crosses in clear). The server is our own child process,
   * started by this core on loopback, so its certificate is accepted for this session only.
   */
  private async open(): Promise<ClientSession> {
    if (this.session) return this.session;
    this.certs ??= new OPCUACertificateManager({ rootFolder: join(this.pkiRoot, 'command-client'), automaticallyAcceptUnknownCertificate: true });
    await this.certs.initialize();
    const client = OPCUAClient.create({
      applicationName: 'ExergyConsoleCommands',
      endpointMustExist: false,
      securityMode: MessageSecurityMode.SignAndEncrypt,
      securityPolicy: SecurityPolicy.Basic256Sha256,
      clientCertificateManager: this.certs,
      connectionStrategy: { maxRetry: 2, initialDelay: 200, maxDelay: 1000 },
      requestedSessionTimeout: 60_000,
    });
    await client.connect(this.endpointUrl);
    const session = await client.createSession({ type: UserTokenType.UserName, userName: this.user.username, password: this.user.password });
    session.on('session_closed', () => (this.session = undefined));
    this.ns = (await session.readNamespaceArray()).indexOf(CATALOG_NAMESPACE);
    if (this.ns < 0) throw new AppError('NOT_FOUND', `${this.endpointUrl}: no namespace ${CATALOG_NAMESPACE}`);
    this.client = client;
    this.session = session;
    return session;
  }

  /** Calls `<object>/<method>` with string or double arguments; never throws for a Bad status (that is data). */
  async call(object: string, method: string, args: Array<string | number> = []): Promise<MethodOutcome> {
    let session: ClientSession;
    try {
      session = await this.open();
    } catch (e) {
      this.session = undefined;
      throw new AppError('UNAVAILABLE', `command session to ${this.endpointUrl} failed: ${(e as Error).message}`);
    }
    const inputArguments = args.map((a) => (typeof a === 'string' ? { dataType: DataType.String, value: a } : { dataType: DataType.Double, value: a }));
    const r = await session.call({ objectId: `ns=${this.ns};s=${object}`, methodId: `ns=${this.ns};s=${object}/${method}`, inputArguments });
    const result = String((r.outputArguments?.[0] as Variant | undefined)?.value ?? '');
    const q = /sync-check \(25\) refused: (frequency|voltage|phase angle) difference/.exec(result);
    return { ok: r.statusCode.isGood(), status: r.statusCode.name, result: result || r.statusCode.description, ...(q ? { quantity: q[1] } : {}) };
  }

  async close(): Promise<void> {
    await this.session?.close().catch(() => undefined);
    await this.client?.disconnect().catch(() => undefined);
    await this.certs?.dispose().catch(() => undefined);
    this.session = undefined;
  }
}
