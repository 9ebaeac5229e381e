// A typed client of the service's JSON API, for the dashboard (in the browser, with its
// session cookie and CSRF token) and for the CLI (in Node, with a Keystone token). It speaks
// only to the service, never to OpenStack; every refusal is an ApiError with the service's
// own message and, when the service named one, the attribute.
import { ApiError, apiError } from './errors.js';
import { ACTION_SCHEME, clusterOf, createBody, KIND_ID, type Cluster, type CreateRequest, type OcciResource } from './cluster.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterEvent, Flavor, Image, Model, Network, Plan, SessionInfo, SignIn } from './types.js';

export type Auth =
  /** A Keystone token (the CLI). */
  | { token: string }
  /** The dashboard's session cookie, sent by the browser itself; changes carry its CSRF token. */
  | { csrf: () => string | undefined }
  | { none: true };

export interface ClientOptions {
  /** The service's URL ('' in the browser: the page's own origin). */
  baseUrl: string;
  auth: Auth;
  fetch?: typeof fetch;
}

const JSON_TYPE = 'application/occi+json';

export class DiscoClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly o: ClientOptions) {
    this.base = o.baseUrl.replace(/\/+$/, '');
    this.doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** One request; JSON in and out (errors too, so that they name their attribute); a non-2xx answer becomes an ApiError. */
  async request(method: string, path: string, body?: unknown, accept = JSON_TYPE, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    if (body !== undefined) headers['Content-Type'] = path.startsWith('/dashboard/') ? 'application/json' : JSON_TYPE;
    const a = this.o.auth;
    if ('token' in a) headers['X-Auth-Token'] = a.token;
    if ('csrf' in a && method !== 'GET') { const t = a.csrf(); if (t) headers['X-CSRF-Token'] = t; }
    let res: Response;
    try {
      res = await this.doFetch(`${this.base}${path}`, { method, headers, credentials: 'same-origin', ...(signal ? { signal } : {}),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (e) {
      throw new ApiError(0, `the service at ${this.base || 'this origin'} cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw await apiError(res);
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  // --- the dashboard's session
  signIn(s: SignIn): Promise<SessionInfo> { return this.json('POST', '/dashboard/session', s); }
  session(): Promise<SessionInfo> { return this.json('GET', '/dashboard/session'); }
  async signOut(): Promise<void> { await this.request('DELETE', '/dashboard/session'); }

  // --- what may be asked for
  async model(): Promise<Model> { return this.json('GET', '/-/'); }
  async flavors(): Promise<Flavor[]> { return (await this.json<{ flavors: Flavor[] }>('GET', '/project/flavors')).flavors; }
  async images(): Promise<Image[]> { return (await this.json<{ images: Image[] }>('GET', '/project/images')).images; }
  async externalNetworks(): Promise<Network[]> { return (await this.json<{ 'external-networks': Network[] }>('GET', '/project/external-networks'))['external-networks']; }

  // --- clusters
  /** Every cluster of the project (all pages; each next link names where its page starts, so a
   * cluster deleted between two pages loses none of the others). */
  async list(o: { pageSize?: number } = {}): Promise<Cluster[]> {
    const out: Cluster[] = [];
    for (let path: string | undefined = `/disco/?limit=${o.pageSize ?? 1000}`; path;) {
      const res = await this.request('GET', path);
      out.push(...((await res.json()) as { resources: OcciResource[] }).resources.map(clusterOf));
      const next = /<([^>]+)>;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
      // the service's Link is absolute: its path and query, asked of the same service
      const u = next ? new URL(next[1]!) : undefined;
      path = u ? `${u.pathname}${u.search}` : undefined;
    }
    return out;
  }
  async get(id: string): Promise<Cluster> { return clusterOf(await this.json<OcciResource>('GET', `/disco/${encodeURIComponent(id)}`)); }
  async create(req: CreateRequest): Promise<Cluster> { return clusterOf(await this.json<OcciResource>('POST', '/disco/', createBody(req))); }
  /** The dry run: what a create would make, made of nothing. */
  plan(req: CreateRequest): Promise<Plan> { return this.json('POST', '/disco/', createBody(req, true)); }
  async delete(id: string): Promise<void> { await this.request('DELETE', `/disco/${encodeURIComponent(id)}`); }
  async scale(id: string, workers: number): Promise<Cluster> { return this.action(id, 'scale', { [ATTR.workers]: workers }); }
  async suspend(id: string): Promise<Cluster> { return this.action(id, 'suspend'); }
  async resume(id: string): Promise<Cluster> { return this.action(id, 'resume'); }
  /** A new lifetime (seconds from ready) and/or deadline (ISO 8601); "none" clears either. */
  async setExpiry(id: string, e: { lifetime?: number | 'none'; deadline?: string }): Promise<void> {
    const attributes: Record<string, unknown> = {};
    if (e.lifetime !== undefined) attributes[ATTR.lifetime] = e.lifetime;
    if (e.deadline !== undefined) attributes[ATTR.deadline] = e.deadline;
    await this.request('POST', `/disco/${encodeURIComponent(id)}`, { kind: KIND_ID, attributes });
  }
  events(id: string, page: { limit?: number; marker?: string } = {}): Promise<{ events: ClusterEvent[]; next?: string }> {
    const q = new URLSearchParams();
    if (page.limit) q.set('limit', String(page.limit));
    if (page.marker) q.set('marker', page.marker);
    return this.json('GET', `/disco/${encodeURIComponent(id)}/events${q.size ? `?${q}` : ''}`);
  }

  private async action(id: string, term: string, attributes: Record<string, unknown> = {}): Promise<Cluster> {
    return clusterOf(await this.json<OcciResource>('POST', `/disco/${encodeURIComponent(id)}?action=${term}`, { action: `${ACTION_SCHEME}${term}`, attributes }));
  }
}
