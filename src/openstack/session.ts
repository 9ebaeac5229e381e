// A Keystone session: one set of credentials, a cached token refreshed before it expires
// (one refresh at a time however many callers wait), and catalog lookups.
import { findEndpoint, type EndpointFilter } from './catalog.js';
import type { Credentials, KeystoneClient, Scope } from './keystone.js';
import type { AuthToken } from './token.js';

export interface SessionOptions extends EndpointFilter {
  /** Refresh when less than this is left of the token's life (default 5 minutes). */
  refreshMarginMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Service type -> base URL, in place of the catalog's (as clouds.yaml's *_endpoint_override): for a
   * service that reaches the cloud by other addresses than the catalog's, e.g. from inside a container.
   * `%(project_id)s` is the token's project, as openstacksdk writes it. */
  endpointOverrides?: Record<string, string>;
}

export class Session {
  private current: AuthToken | undefined;
  private pending: Promise<AuthToken> | undefined;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;

  constructor(
    readonly keystone: KeystoneClient,
    private readonly credentials: Credentials,
    private readonly scope: Scope,
    private readonly options: SessionOptions = {},
  ) {
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * A session on an existing token (e.g. a caller's): it serves that token and, near its
   * expiry, exchanges it for a new one with token auth while Keystone still accepts it.
   */
  static fromToken(keystone: KeystoneClient, token: AuthToken, options: SessionOptions = {}): Session {
    const s = new Session(keystone, { kind: 'token', token: token.value },
      token.project ? { projectId: token.project.id } : undefined, options);
    s.current = token;
    return s;
  }

  /** A valid token: the cached one, or a new one when it is near its expiry. */
  async token(): Promise<AuthToken> {
    const t = this.current;
    if (t && t.expiresAt.getTime() - this.refreshMarginMs > this.now()) return t;
    this.pending ??= this.keystone.authenticate(this.credentials, this.scope)
      .then((fresh) => { this.current = fresh; return fresh; })
      .finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** Forget the cached token (e.g. after a 401: it may have been revoked). */
  invalidate(token?: AuthToken): void {
    if (!token || token === this.current) this.current = undefined;
  }

  async endpoint(type: string, filter: EndpointFilter = {}): Promise<string> {
    const t = await this.token();
    const override = this.options.endpointOverrides?.[type];
    if (override) return override.replaceAll('%(project_id)s', encodeURIComponent(t.project?.id ?? '')).replace(/\/+$/, '');
    return findEndpoint(t.catalog, type, {
      interface: filter.interface ?? this.options.interface ?? 'public',
      ...(filter.region ?? this.options.region ? { region: filter.region ?? this.options.region } : {}),
    });
  }
}
