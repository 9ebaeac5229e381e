// Who is calling and in which project, from Keystone and never from a header alone:
//   X-Auth-Token                                    validated with Keystone
//   X-User-Name + X-Password [+ X-Tenant-Name] [+ X-Domain-Name]   password login
//   icclab.disco.deployer.username/.password attributes (old clients) [+ X-Tenant-Name]
// A header naming a tenant is checked against the token's project. Results are cached
// for a short time under the token (which the cached caller holds anyway) or a hash of the
// password credentials (never the password itself), for reads only: a change asks Keystone every time, so a revoked token stops at once. A
// password caller's change validates the token its login gave (about 20 ms) in place of a new
// login (60-75 ms); Keystone revokes a user's tokens when the password changes, so that still
// stops the change at once, and a refused token falls back to a login, counted as one.
// Failed logins are limited per user name and per client (login-limiter.ts).
import { createHash } from 'node:crypto';
import { DomainError, TooManyAttempts, unauthorized } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { AttributeValue } from '../occi/model.js';
import {
  AuthToken, NotFoundError, OpenStackError, UnauthorizedError, ForbiddenError, BadRequestError,
  type KeystoneClient, type Scope,
} from '../openstack/index.js';
import { LoginLimiter, type AttemptKeys, type LimiterOptions } from './login-limiter.js';

export interface Caller {
  token: AuthToken;
  userId: string;
  projectId: string;
  projectName: string;
}

export interface AuthenticateOptions {
  /** Ask Keystone now, whatever is cached (for changes: a revoked token must not change anything). */
  fresh?: boolean;
  /** The client's address, for the limit on failed logins. */
  client?: string | undefined;
}

export interface AuthenticatorOptions {
  defaultDomain: string;
  cacheSeconds: number;
  /** Failed logins allowed per user name and per client within the window (see login-limiter.ts). */
  limits?: Omit<LimiterOptions, 'now'>;
  now?: () => number;
}

type Headers = Record<string, string | string[] | undefined>;

const MAX_CACHED = 10_000;
/** The cache key of a token: the token itself, which its cached caller holds anyway (no hash per
 * request: a GET's sha256 was 4% of its CPU, measured with --cpu-prof). Passwords are keyed by a digest. */
const tokenDigest = (token: string) => `t\0${token}`;
/** Keystone said no (wrong, revoked, expired, unknown): anything else is Keystone out of reach. */
const refusal = (e: unknown) => e instanceof UnauthorizedError || e instanceof NotFoundError || e instanceof ForbiddenError || e instanceof BadRequestError;
const unreachable = (e: unknown) => (e instanceof OpenStackError ? new DomainError('UNAVAILABLE', `Keystone cannot be reached: ${e.code}`) : e);
const passwordKey = (user: string, domain: string, tenant: string | undefined, password: string) => `p\0${user}\0${domain}\0${tenant ?? ''}\0${password}`;
const NO_LIMITS = { perUser: 0, perClient: 0, windowSeconds: 60 };
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() !== '' ? s.trim() : undefined;
};

export class Authenticator {
  /** until: served without asking Keystone (reads); tokenUntil: a password caller's token, validated
   * in place of a new login, until a minute before it expires. */
  private readonly cache = new Map<string, { caller: Caller; until: number; tokenUntil: number }>();
  /** Tokens signed out here (digests, until they would have expired): refused at once, never cached again,
   * even by a validation that was already on its way to Keystone when the token was revoked. */
  private readonly revoked = new Map<string, number>();
  private readonly limiter: LoginLimiter;

  constructor(private readonly keystone: KeystoneClient, private readonly o: AuthenticatorOptions) {
    this.limiter = new LoginLimiter({ ...(o.limits ?? NO_LIMITS), ...(o.now ? { now: o.now } : {}) });
  }

  private now(): number { return (this.o.now ?? Date.now)(); }

  async authenticate(headers: Headers, attrs: Map<string, AttributeValue> = new Map(), opts: AuthenticateOptions = {}): Promise<Caller> {
    const token = header(headers, 'x-auth-token');
    const tenant = header(headers, 'x-tenant-name');
    const domain = header(headers, 'x-domain-name') ?? this.o.defaultDomain;
    const user = header(headers, 'x-user-name') ?? (attrs.has(ATTR.username) ? String(attrs.get(ATTR.username)) : undefined);
    const password = header(headers, 'x-password') ?? (attrs.has(ATTR.password) ? String(attrs.get(ATTR.password)) : undefined);

    let key: string;
    let login: () => Promise<AuthToken>;
    const limited: AttemptKeys = { client: opts.client };
    if (token) {
      key = `t\0${token}`;
      login = async () => {
        const info = await this.keystone.validateToken(token);
        return new AuthToken(token, info);
      };
    } else if (user && password) {
      // Keystone's names are at most 255 characters: a longer one is refused before it is counted
      if (user.length > 255 || domain.length > 255 || password.length > 4096) {
        throw unauthorized('X-User-Name and X-Domain-Name take at most 255 characters, X-Password 4096 (Keystone takes no longer ones)');
      }
      key = passwordKey(user, domain, tenant, password);
      // Keystone's names are case-insensitive on most backends: so is the count
      limited.user = `${domain}\0${user}`.toLowerCase();
      const scope: Scope = tenant ? { projectName: tenant, projectDomain: { name: domain } } : undefined;
      login = () => this.keystone.authenticate({ kind: 'password', username: user, password, userDomain: { name: domain } }, scope);
    } else {
      throw unauthorized('no credentials: send X-Auth-Token, or X-User-Name and X-Password (with X-Tenant-Name)');
    }
    const digest = token ? tokenDigest(token) : createHash('sha256').update(key).digest('hex');
    if (token && this.signedOut(token)) throw unauthorized('the token was revoked (signed out)');
    const hit = opts.fresh ? undefined : this.cache.get(digest);
    // a token Keystone accepted a moment ago is no guess: it is served even from an address
    // (a NAT, a proxy) that others' failures put behind the limit
    if (token && hit && hit.until > this.now()) return this.checkTenant(hit.caller, tenant);
    // before the cache for passwords: a refused guesser must not learn that a cached password is right
    const wait = this.limiter.retryAfter(limited);
    if (wait > 0) {
      const s = Math.ceil(wait);
      throw new TooManyAttempts(`too many failed logins from this address or for this user name: try again in ${s} s`, s);
    }
    if (hit && hit.until > this.now()) return this.checkTenant(hit.caller, tenant);
    const held = token ? undefined : await this.revalidate(digest);
    return this.checkTenant(held ?? await this.login(login, digest, limited), tenant);
  }

  /** The caller kept for these header credentials, without asking Keystone: only to begin
   * work that a fresh authenticate() then confirms before anything is held or written. */
  known(headers: Headers): Caller | undefined {
    const token = header(headers, 'x-auth-token');
    let digest: string;
    if (token) {
      if (this.signedOut(token)) return undefined;
      digest = tokenDigest(token);
    } else {
      const user = header(headers, 'x-user-name'), password = header(headers, 'x-password');
      if (!user || !password) return undefined;
      const domain = header(headers, 'x-domain-name') ?? this.o.defaultDomain;
      digest = createHash('sha256').update(passwordKey(user, domain, header(headers, 'x-tenant-name'), password)).digest('hex');
    }
    const kept = this.cache.get(digest);
    return kept && kept.tokenUntil > this.now() ? kept.caller : undefined;
  }

  /** The caller a password login gave, if its token is still alive and Keystone still accepts it
   * (not revoked: signed out, or the password changed); undefined means a login is needed. */
  private async revalidate(digest: string): Promise<Caller | undefined> {
    const kept = this.cache.get(digest);
    if (!kept || kept.tokenUntil <= this.now()) return undefined;
    const value = kept.caller.token.value;
    if (this.signedOut(value)) return undefined;
    try {
      const t = new AuthToken(value, await this.keystone.validateToken(value));
      // signed out while Keystone was asked: not used
      if (!t.project || t.project.id !== kept.caller.projectId || this.signedOut(value)) return undefined;
      const caller: Caller = { ...kept.caller, token: t };
      this.keep(digest, caller);
      return caller;
    } catch (e) {
      if (!refusal(e)) throw unreachable(e);
      this.cache.delete(digest);
      return undefined;
    }
  }

  /** Keeps a caller just logged in by password under its token too: the dashboard's requests
   * that follow its sign-in carry the token and need not ask Keystone again for a while. */
  rememberToken(caller: Caller): void {
    const digest = tokenDigest(caller.token.value);
    this.keep(digest, caller);
  }

  private signedOut(token: string): boolean { return (this.revoked.get(tokenDigest(token)) ?? 0) > this.now(); }

  /** Forgets a token signed out here: refused from now on, without asking Keystone (which revokes it too). */
  forgetToken(token: string, expiresAt: number = this.now() + 86_400_000): void {
    const digest = tokenDigest(token);
    this.cache.delete(digest);
    const now = this.now();
    for (const [d, until] of this.revoked) if (until <= now) this.revoked.delete(d);
    if (this.revoked.size >= MAX_CACHED) this.revoked.delete(this.revoked.keys().next().value!);
    this.revoked.set(digest, expiresAt);
  }

  private checkTenant(caller: Caller, tenant: string | undefined): Caller {
    if (tenant && tenant !== caller.projectName && tenant !== caller.projectId) {
      throw unauthorized(`X-Tenant-Name ${JSON.stringify(tenant.slice(0, 80))} is not the project of these credentials`);
    }
    return caller;
  }

  private async login(login: () => Promise<AuthToken>, digest: string, limited: AttemptKeys): Promise<Caller> {
    const attempt = this.limiter.begin(limited);
    let t: AuthToken;
    try {
      t = await login();
    } catch (e) {
      const refused = refusal(e);
      this.limiter.settle(attempt, refused ? 'failed' : 'void');
      if (refused) {
        // revoked or wrong: reads stop being served from the cache too
        this.cache.delete(digest);
        throw unauthorized('Keystone did not accept the credentials');
      }
      throw unreachable(e);
    }
    this.limiter.settle(attempt, 'ok');
    if (!t.project) throw unauthorized('the credentials are not scoped to a project: send X-Tenant-Name');
    if (t.expiresAt.getTime() <= this.now()) throw unauthorized('the token has expired');
    const caller: Caller = { token: t, userId: t.user.id, projectId: t.project.id, projectName: t.project.name };
    if (this.revoked.has(digest)) throw unauthorized('the token was revoked (signed out)');
    this.keep(digest, caller);
    return caller;
  }

  /** Caches a caller for reads (at most until a minute before its token expires), and its token for revalidation. */
  private keep(digest: string, caller: Caller): void {
    const tokenUntil = caller.token.expiresAt.getTime() - 60_000;
    const until = Math.min(this.now() + this.o.cacheSeconds * 1000, tokenUntil);
    this.cache.delete(digest); // re-inserted last: the oldest entry goes first when full
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(digest, { caller, until, tokenUntil });
  }
}
