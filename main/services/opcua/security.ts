// Endpoint discovery and the security rules applied before any credential leaves the host: the endpoint must offer
// the configured policy and mode, and a password never crosses an unencrypted channel unless its token policy
// encrypts it. node-opcua errors are mapped to AppError codes here, at the service edge.
import { readFileSync } from 'node:fs';
import { MessageSecurityMode, OPCUAClient, SecurityPolicy, UserTokenType, type EndpointDescription, type UserIdentityInfo, type UserTokenPolicy } from 'node-opcua';
import { AppError, isAppError } from '../../../shared/errors';
import type { SecurityModeName, SecurityPolicyName, UserTokenSettings } from './settings';
import type { TrustStore } from './pki';

export const POLICY_URI = (p: SecurityPolicyName): string => `http://opcfoundation.org/UA/SecurityPolicy#${p}`;
export const uaPolicy = (p: SecurityPolicyName): SecurityPolicy => SecurityPolicy[p];
export const uaMode = (m: SecurityModeName): MessageSecurityMode => MessageSecurityMode[m];

/** Asks the server for its endpoints over an unsecured channel (GetEndpoints is always allowed there). */
export async function discoverEndpoints(url: string, trust: TrustStore, timeoutMs: number): Promise<EndpointDescription[]> {
  const c = OPCUAClient.create({
    applicationName: 'ExergyConsole',
    applicationUri: trust.applicationUri,
    clientCertificateManager: trust.manager,
    certificateFile: trust.certificateFile,
    privateKeyFile: trust.privateKeyFile,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    transportTimeout: timeoutMs,
  });
  try {
    await c.connect(url);
    return await c.getEndpoints();
  } catch (e) {
    throw mapUaError(e, `endpoint ${url}`);
  } finally {
    await c.disconnect().catch(() => undefined);
  }
}

export function selectEndpoint(eps: EndpointDescription[], policy: SecurityPolicyName, mode: SecurityModeName, url: string): EndpointDescription {
  const uri = POLICY_URI(policy);
  const ep = eps.find((e) => e.securityPolicyUri === uri && e.securityMode === uaMode(mode));
  if (!ep) {
    const offered = eps.map((e) => `${String(e.securityPolicyUri).split('#')[1]}/${MessageSecurityMode[e.securityMode]}`).join(', ');
    throw new AppError('SECURITY', `endpoint ${url} does not offer ${policy}/${mode} (it offers ${offered || 'nothing'})`, { endpoint: url, policy, mode });
  }
  return ep;
}

/** The token policy for our user; refuses a password that would cross the wire in clear. */
export function checkUserToken(ep: EndpointDescription, user: UserTokenSettings, url: string): UserTokenPolicy {
  const want = user.type === 'anonymous' ? UserTokenType.Anonymous : user.type === 'username' ? UserTokenType.UserName : UserTokenType.Certificate;
  const tp = (ep.userIdentityTokens ?? []).find((t) => t.tokenType === want);
  if (!tp) throw new AppError('SECURITY', `endpoint ${url} does not accept ${user.type} users on this security policy`, { endpoint: url });
  if (user.type === 'username') {
    const tokenPolicy = tp.securityPolicyUri || ep.securityPolicyUri || '';
    const encrypted = tokenPolicy !== '' && !tokenPolicy.endsWith('#None');
    if (!encrypted) throw new AppError('SECURITY', `refusing to send the password for ${user.username} to ${url}: the channel is not encrypted and the server's token policy does not encrypt it`, { endpoint: url });
    if (/#(Basic128Rsa15|Basic256)$/.test(tokenPolicy)) throw new AppError('SECURITY', `refusing to send the password to ${url}: its token policy ${tokenPolicy} is deprecated`, { endpoint: url });
  }
  return tp;
}

export function userIdentity(user: UserTokenSettings): UserIdentityInfo {
  switch (user.type) {
    case 'anonymous':
      return { type: UserTokenType.Anonymous };
    case 'username':
      return { type: UserTokenType.UserName, userName: user.username, password: user.password };
    case 'certificate': {
      try {
        const pem = readFileSync(user.certificateFile, 'utf8');
        const b64 = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? '';
        return { type: UserTokenType.Certificate, certificateData: Buffer.from(b64.replace(/\s+/g, ''), 'base64'), privateKey: readFileSync(user.privateKeyFile, 'utf8') as never };
      } catch (e) {
        throw new AppError('INVALID_ARGUMENT', `X.509 user token: cannot read ${user.certificateFile} / ${user.privateKeyFile}: ${(e as Error).message}`);
      }
    }
  }
}

/** Maps what node-opcua throws to our vocabulary; `fatal` means retrying cannot help until someone acts. */
export function mapUaError(e: unknown, what: string): AppError {
  if (isAppError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid|BadUserSignatureInvalid/.test(msg))
    return new AppError('UNAUTHENTICATED', `${what}: the server refused the user credentials (${/Bad\w+/.exec(msg)?.[0]})`, { fatal: true });
  if (/BadCertificate\w*|BadSecurityChecksFailed|BadSecurityPolicyRejected|BadNonceInvalid/.test(msg))
    return new AppError('SECURITY', `${what}: security check failed (${/Bad\w+/.exec(msg)?.[0]})`, { fatal: true, detail: msg.slice(0, 300) });
  if (/BadTimeout|timeout|timed out/i.test(msg)) return new AppError('TIMEOUT', `${what}: ${msg.slice(0, 200)}`);
  return new AppError('UNAVAILABLE', `${what}: ${msg.split('\n')[0].slice(0, 200)}`);
}

export function isFatal(e: AppError): boolean {
  return e.code === 'UNAUTHENTICATED' || e.code === 'SECURITY' || e.code === 'INVALID_ARGUMENT' || e.code === 'PARSE_ERROR' || e.info?.fatal === true;
}
