// Keystone v3: password, token and application-credential authentication, validation of a
// caller's token, and application credentials (create, delete).
import { registerSecret } from '../log/redact.js';
import { BadResponseError, NotFoundError, UnauthorizedError } from './errors.js';
import type { OpenStackHttp } from './http.js';
import { AuthToken, parseTokenInfo, type TokenInfo } from './token.js';

/** A domain by name or id (Keystone accepts either). */
export interface DomainRef { id?: string; name?: string }

export type Credentials =
  | { kind: 'password'; password: string; userId?: string; username?: string; userDomain?: DomainRef }
  | { kind: 'token'; token: string }
  | { kind: 'applicationCredential'; secret: string; id?: string; name?: string;
      userId?: string; username?: string; userDomain?: DomainRef };

/** Without a scope Keystone scopes to the user's default project; 'unscoped' asks for none. */
export type Scope =
  | 'unscoped'
  | { projectId: string }
  | { projectName: string; projectDomain: DomainRef }
  | { domain: DomainRef }
  | undefined;

export interface ApplicationCredential {
  id: string;
  name: string;
  projectId: string;
  expiresAt: Date | undefined;
  /** Returned once by Keystone. Store it encrypted; never log it. */
  secret: string;
}

export interface NewApplicationCredential {
  name: string;
  description?: string;
  expiresAt?: Date;
  roles?: { name?: string; id?: string }[];
  unrestricted?: boolean;
}

/** A token and whose it is (an AuthToken, or a stored token with its user id). */
export interface TokenHolder { readonly value: string; readonly user: { readonly id: string } }

const domainBody = (d: DomainRef | undefined) => (d?.id ? { id: d.id } : d?.name ? { name: d.name } : undefined);

function userBody(c: { userId?: string; username?: string; userDomain?: DomainRef }): Record<string, unknown> {
  if (c.userId) return { id: c.userId };
  if (!c.username) throw new TypeError('credentials need userId or username');
  const domain = domainBody(c.userDomain);
  if (!domain) throw new TypeError('a username needs userDomain (name or id)');
  return { name: c.username, domain };
}

function identityBody(c: Credentials): Record<string, unknown> {
  switch (c.kind) {
    case 'password':
      return { methods: ['password'], password: { user: { ...userBody(c), password: c.password } } };
    case 'token':
      return { methods: ['token'], token: { id: c.token } };
    case 'applicationCredential':
      return {
        methods: ['application_credential'],
        application_credential: c.id ? { id: c.id, secret: c.secret }
          : { name: c.name, secret: c.secret, user: userBody(c) },
      };
  }
}

function scopeBody(s: Scope): Record<string, unknown> | string | undefined {
  if (!s) return undefined;
  if (s === 'unscoped') return 'unscoped';
  if ('projectId' in s) return { project: { id: s.projectId } };
  if ('projectName' in s) return { project: { name: s.projectName, domain: domainBody(s.projectDomain) } };
  return { domain: domainBody(s.domain) };
}

export class KeystoneClient {
  readonly authUrl: string;

  /** authUrl: the identity v3 root, e.g. http://127.0.0.1:5000/v3 (a bare host gets /v3). */
  constructor(authUrl: string, private readonly http: OpenStackHttp) {
    const u = authUrl.replace(/\/+$/, '');
    this.authUrl = /\/v3$/.test(u) ? u : `${u}/v3`;
  }

  async authenticate(credentials: Credentials, scope?: Scope): Promise<AuthToken> {
    const sc = credentials.kind === 'applicationCredential' ? undefined : scopeBody(scope);
    const res = await this.http.call({
      service: 'keystone', operation: 'keystone.authenticate', method: 'POST',
      url: `${this.authUrl}/auth/tokens`,
      json: { auth: { identity: identityBody(credentials), ...(sc ? { scope: sc } : {}) } },
      // issuing a token changes nothing another attempt could duplicate; but a password
      // attempt that Keystone counted before failing would count again, toward its lockout
      idempotent: credentials.kind !== 'password',
    }).catch((e: unknown) => {
      // Keystone answers 404 for a deleted application credential: for the caller that is
      // a failed authentication like any other
      if (!(e instanceof NotFoundError)) throw e;
      throw new UnauthorizedError('OS_UNAUTHORIZED', 'not authenticated (Keystone answered 404)', { service: e.service, operation: e.operation,
        status: 401, ...(e.osMessage ? { osMessage: e.osMessage } : {}), ...(e.requestId ? { requestId: e.requestId } : {}) });
    });
    const value = res.headers['x-subject-token'];
    if (typeof value !== 'string' || !value) {
      throw new BadResponseError('OS_BAD_RESPONSE', 'no X-Subject-Token in the answer',
        { service: 'keystone', operation: 'keystone.authenticate', status: res.status, requestId: res.requestId });
    }
    // accepted: now a secret the service holds (registered only now, see log/redact.ts)
    if (credentials.kind === 'password') registerSecret(credentials.password);
    if (credentials.kind === 'token') registerSecret(credentials.token);
    if (credentials.kind === 'applicationCredential') registerSecret(credentials.secret);
    return new AuthToken(value, parseTokenInfo(res.body));
  }

  /**
   * Who a caller's token belongs to: user, project, roles, expiry. authToken is the token
   * making the check; by default the subject itself (Keystone lets a token validate itself).
   * An invalid or expired subject gives NotFoundError (404).
   */
  async validateToken(subject: string, authToken: string = subject): Promise<TokenInfo> {
    const res = await this.http.call({
      service: 'keystone', operation: 'keystone.validateToken', method: 'GET',
      url: `${this.authUrl}/auth/tokens`, token: authToken,
      headers: { 'x-subject-token': subject },
    });
    registerSecret(subject);
    return parseTokenInfo(res.body);
  }

  /** Revokes a token (a token may revoke itself): signing out of the dashboard ends it in Keystone too. */
  async revokeToken(subject: string): Promise<void> {
    await this.http.call({
      service: 'keystone', operation: 'keystone.revokeToken', method: 'DELETE',
      url: `${this.authUrl}/auth/tokens`, token: subject, headers: { 'x-subject-token': subject },
    });
  }

  /** Creates an application credential for the token's user, scoped to the token's project. */
  async createApplicationCredential(token: TokenHolder, spec: NewApplicationCredential): Promise<ApplicationCredential> {
    const res = await this.http.call({
      service: 'keystone', operation: 'keystone.createApplicationCredential', method: 'POST',
      url: `${this.authUrl}/users/${encodeURIComponent(token.user.id)}/application_credentials`,
      token: token.value,
      json: { application_credential: {
        name: spec.name,
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.expiresAt ? { expires_at: spec.expiresAt.toISOString() } : {}),
        ...(spec.roles ? { roles: spec.roles } : {}),
        ...(spec.unrestricted ? { unrestricted: true } : {}),
      } },
    });
    const ac = (res.body as { application_credential?: Record<string, unknown> } | undefined)?.application_credential;
    if (!ac || typeof ac.secret !== 'string' || typeof ac.id !== 'string') {
      throw new BadResponseError('OS_BAD_RESPONSE', 'no application credential in the answer',
        { service: 'keystone', operation: 'keystone.createApplicationCredential', status: res.status, requestId: res.requestId });
    }
    registerSecret(ac.secret);
    return {
      id: ac.id, name: String(ac.name), projectId: String(ac.project_id), secret: ac.secret,
      expiresAt: typeof ac.expires_at === 'string' ? new Date(ac.expires_at) : undefined,
    };
  }

  /** The user's application credentials of that name (names are unique per user). */
  async findApplicationCredentials(token: TokenHolder, name: string): Promise<{ id: string; name: string }[]> {
    const res = await this.http.call({
      service: 'keystone', operation: 'keystone.findApplicationCredentials', method: 'GET',
      url: `${this.authUrl}/users/${encodeURIComponent(token.user.id)}/application_credentials`,
      token: token.value, query: { name },
    });
    const list = (res.body as { application_credentials?: { id: string; name: string }[] } | undefined)?.application_credentials ?? [];
    return list.map((a) => ({ id: a.id, name: a.name }));
  }

  async deleteApplicationCredential(token: TokenHolder, id: string): Promise<void> {
    await this.http.call({
      service: 'keystone', operation: 'keystone.deleteApplicationCredential', method: 'DELETE',
      url: `${this.authUrl}/users/${encodeURIComponent(token.user.id)}/application_credentials/${encodeURIComponent(id)}`,
      token: token.value,
    });
  }
}
