// The shapes the service's JSON answers have (besides clusters: cluster.ts).
export interface SignIn { user: string; password: string; project: string; domain?: string }

export interface SessionInfo {
  user: string; domain: string; project: string; projectId: string; roles: string[];
  /** Sent with every change the page makes (X-CSRF-Token). */
  csrf: string;
  expiresAt: string;
  /** Each policy rule and whether the roles grant it (disco:create, disco:scale, ...). */
  may: Record<string, boolean>;
}

export interface AttributeDescription { mutable: boolean; required: boolean; type: string; default?: unknown; description?: string; pattern?: { pattern: string } }
export interface ModelKind { term: string; scheme: string; title: string; attributes: Record<string, AttributeDescription> }
export interface ModelMixin extends ModelKind { depends?: string[]; applies?: string[] }
/** The query interface (GET /-/). */
export interface Model { kinds: ModelKind[]; mixins: ModelMixin[]; actions: ModelKind[] }

export interface Flavor { id: string; name: string; vcpus: number; ramMb: number; diskGb: number; ephemeralGb: number }
export interface Image { id: string; name: string; minDiskGb: number; minRamMb: number; sshUser?: string }
export interface Network { id: string; name: string }

export interface SecurityRule { framework: string; protocol: 'tcp' | 'udp'; portMin: number; portMax: number; audience: 'cluster' | 'public'; remote: string | null; description: string }
/** What the cluster needs and what the project has left (null: no limit). */
export type QuotaNumbers = Record<'instances' | 'cores' | 'ramMb' | 'floatingIps' | 'networks' | 'routers' | 'securityGroups', number | null>;
export interface Plan {
  dryrun: true;
  frameworks: { name: string; version: string | null; properties: Record<string, unknown> }[];
  workers: number;
  security_rules: SecurityRule[];
  validation: { ok: true } | { ok: false; message: string };
  quota: { needed: QuotaNumbers; headroom: QuotaNumbers; fits: boolean; shortfalls: string[] };
  [k: string]: unknown;
}

export type ClusterEvent =
  | { id: string; time: string; source: 'service'; state: string; reason?: string; message?: string }
  | { id: string; time: string; source: 'heat'; stack: string; resource: string; status: string; reason: string }
  | { id: string; time: string; source: 'node'; node: string; framework?: string; status: string; reason?: string };
