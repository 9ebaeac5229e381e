// Who is calling and in which project, from Keystone and never from a header alone:
//   X-Auth-Token                                    validated with Keystone
//   X-User-Name + X-Password [+ X-Tenant-Name] [+ X-Domain-Name]   password login
//   icclab.disco.deployer.username/.password attributes (old clients) [+ X-Tenant-Name]
// A header naming a tenant is checked against the token's project. Results are cached
// for a short time under a hash of the credentials (never the credentials themselves).
import { createHash } from 'node:crypto';
import { DomainError, unauthorized } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { AttributeValue } from '../occi/model.js';
import {
  AuthToken, NotFoundError, OpenStackError, UnauthorizedError, ForbiddenError, BadRequestError,
  type KeystoneClient, type Scope,
} from '../openstack/index.js';
import { registerSecret } from '../log/redact.js';

export interface Caller {
  token: AuthToken;
  userId: string;
  projectId: string;
  projectName: string;
}

type Headers = Record<string, string | string[] | undefined>;

const MAX_CACHED = 10_000;
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() !== '' ? s.trim() : undefined;
};

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly keystone: KeystoneClient,
    private readonly o: { defaultDomain: string; cacheSeconds: number; now?: () => number },
  ) {}

  private now(): number { return (this.o.now ?? Date.now)(); }

  async authenticate(headers: Headers, attrs: Map<string, AttributeValue> = new Map()): Promise<Caller> {
    const token = header(headers, 'x-auth-token');
    const tenant = header(headers, 'x-tenant-name');
    const domain = header(headers, 'x-domain-name') ?? this.o.defaultDomain;
    const user = header(headers, 'x-user-name') ?? (attrs.has(ATTR.username) ? String(attrs.get(ATTR.username)) : undefined);
    const password = header(headers, 'x-password') ?? (attrs.has(ATTR.password) ? String(attrs.get(ATTR.password)) : undefined);
    if (password) registerSecret(password);
    if (token) registerSecret(token);

    let key: string;
    let login: () => Promise<AuthToken>;
    if (token) {
      key = `t\0${token}`;
      login = async () => {
        const info = await this.keystone.validateToken(token);
        return new AuthToken(token, info);
      };
    } else if (user && password) {
      key = `p\0${user}\0${domain}\0${tenant ?? ''}\0${password}`;
      const scope: Scope = tenant ? { projectName: tenant, projectDomain: { name: domain } } : undefined;
      login = () => this.keystone.authenticate({ kind: 'password', username: user, password, userDomain: { name: domain } }, scope);
    } else {
      throw unauthorized('no credentials: send X-Auth-Token, or X-User-Name and X-Password (with X-Tenant-Name)');
    }
    const digest = createHash('sha256').update(key).digest('hex');
    const hit = this.cache.get(digest);
    const caller = hit && hit.until > this.now() ? hit.caller : await this.login(login, digest);
    if (tenant && tenant !== caller.projectName && tenant !== caller.projectId) {
      throw unauthorized(`X-Tenant-Name ${JSON.stringify(tenant)} is not the project of these credentials`);
    }
    return caller;
  }

  private async login(login: () => Promise<AuthToken>, digest: string): Promise<Caller> {
    let t: AuthToken;
    try {
      t = await login();
    } catch (e) {
      if (e instanceof UnauthorizedError || e instanceof NotFoundError || e instanceof ForbiddenError || e instanceof BadRequestError) {
        throw unauthorized('Keystone did not accept the credentials');
      }
      if (e instanceof OpenStackError) throw new DomainError('UNAVAILABLE', `Keystone cannot be reached: ${e.code}`);
      throw e;
    }
    if (!t.project) throw unauthorized('the credentials are not scoped to a project: send X-Tenant-Name');
    if (t.expiresAt.getTime() <= this.now()) throw unauthorized('the token has expired');
    const caller: Caller = { token: t, userId: t.user.id, projectId: t.project.id, projectName: t.project.name };
    const until = Math.min(this.now() + this.o.cacheSeconds * 1000, t.expiresAt.getTime() - 60_000);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(digest, { caller, until });
    return caller;
  }
}
