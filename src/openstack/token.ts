// What Keystone says about a token. The token string itself lives in a private field of
// AuthToken: JSON.stringify, util.inspect and a logger's serialiser never see it.
import { registerSecret } from '../log/redact.js';

export interface NamedRef { id: string; name: string }
export interface DomainScoped extends NamedRef { domain: NamedRef }

export interface CatalogEndpoint { id?: string; interface: string; region: string | undefined; url: string }
export interface CatalogEntry { type: string; name: string; endpoints: CatalogEndpoint[] }

export interface TokenInfo {
  user: DomainScoped;
  project: DomainScoped | undefined;
  roles: NamedRef[];
  methods: string[];
  expiresAt: Date;
  issuedAt: Date;
  catalog: CatalogEntry[];
  applicationCredential: { id: string; name: string; restricted: boolean } | undefined;
  /** Set when the token is trust-scoped (acts for a trustor under a Keystone trust). */
  trust: { id: string } | undefined;
}

export class AuthToken implements TokenInfo {
  readonly #value: string;
  readonly user: DomainScoped;
  readonly project: DomainScoped | undefined;
  readonly roles: NamedRef[];
  readonly methods: string[];
  readonly expiresAt: Date;
  readonly issuedAt: Date;
  readonly catalog: CatalogEntry[];
  readonly applicationCredential: TokenInfo['applicationCredential'];
  readonly trust: TokenInfo['trust'];

  constructor(value: string, info: TokenInfo) {
    registerSecret(value);
    this.#value = value;
    this.user = info.user;
    this.project = info.project;
    this.roles = info.roles;
    this.methods = info.methods;
    this.expiresAt = info.expiresAt;
    this.issuedAt = info.issuedAt;
    this.catalog = info.catalog;
    this.applicationCredential = info.applicationCredential;
    this.trust = info.trust;
  }

  /** The X-Auth-Token value. Never log or render it. */
  get value(): string { return this.#value; }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? v as Json : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

function ref(v: unknown): NamedRef { const o = obj(v); return { id: s(o.id), name: s(o.name) }; }
function scoped(v: unknown): DomainScoped { return { ...ref(v), domain: ref(obj(v).domain) }; }

/** Reads the `token` object of a Keystone v3 auth response. */
export function parseTokenInfo(body: unknown): TokenInfo {
  const t = obj(obj(body).token);
  const ac = t.application_credential === undefined ? undefined : obj(t.application_credential);
  const trust = t['OS-TRUST:trust'] === undefined ? undefined : obj(t['OS-TRUST:trust']);
  return {
    user: scoped(t.user),
    project: t.project === undefined ? undefined : scoped(t.project),
    roles: Array.isArray(t.roles) ? t.roles.map(ref) : [],
    methods: Array.isArray(t.methods) ? t.methods.map(s) : [],
    expiresAt: new Date(s(t.expires_at)),
    issuedAt: new Date(s(t.issued_at)),
    catalog: Array.isArray(t.catalog) ? t.catalog.map((c) => {
      const e = obj(c);
      return {
        type: s(e.type), name: s(e.name),
        endpoints: Array.isArray(e.endpoints) ? e.endpoints.map((x) => {
          const p = obj(x);
          return { id: s(p.id), interface: s(p.interface), region: s(p.region_id) || s(p.region) || undefined, url: s(p.url) };
        }) : [],
      };
    }) : [],
    applicationCredential: ac && { id: s(ac.id), name: s(ac.name), restricted: ac.restricted !== false },
    trust: trust && { id: s(trust.id) },
  };
}
