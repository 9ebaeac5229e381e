// Validators of GET /disco/<id>: an ETag per rendering, and If-None-Match answered with 304
// and no body, so a poller of an unchanged cluster costs a record read and a hash. The tag
// covers everything the answer depends on: the record's revision (and its updated_at, should
// a store ever count revisions again from 1), the media type, the base URL, what the caller
// is shown (the owner's secrets or not) and the model (the frameworks' mixins). The answer
// cache's key is the same without the base URL: an entity rendering holds relative
// locations only, so one kept rendering serves every base URL. Only after the caller has
// been authenticated and the record found in their project may either be used.
import { createHash } from 'node:crypto';
import { ACTIONS, DISCO_KIND, frameworkMixins } from '../disco-kind/kind.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';

/** What one rendering of one record depends on, but the base URL. */
export interface RenderingOf {
  id: string;
  /** Set by the store; none (a record written before revisions): no tag, nothing kept. */
  revision: number | undefined;
  updatedAt?: string;
  /** The negotiated media type. */
  type: string;
  /** Whether the caller is shown the owner's secrets, or the caller's class when there are more than two. */
  secrets: boolean | string;
  /** The model the rendering uses (modelTag). */
  model?: string;
}

const audience = (s: boolean | string): string => (typeof s === 'boolean' ? (s ? 'secrets' : 'no-secrets') : `class:${s}`);

/** The answer cache's key; undefined when the record has no revision. */
export function renderingKey(r: RenderingOf): string | undefined {
  if (r.revision === undefined) return undefined;
  return JSON.stringify([r.id, r.revision, r.updatedAt ?? '', r.type, audience(r.secrets), r.model ?? '']);
}

/** Tags made lately, by key and base URL: a poller's GET costs a lookup, not a sha256 (a GET's hashes
 * were 4% of its CPU, measured with --cpu-prof). Bounded: the oldest goes first. */
const tags = new Map<string, string>();
const MAX_TAGS = 10_000;

/** A weak entity tag, `W/"<22 characters>"`, opaque; undefined when the record has no revision. */
export function entityTag(r: RenderingOf, baseUrl: string): string | undefined {
  const key = renderingKey(r);
  if (key === undefined) return undefined;
  const at = `${key}\n${baseUrl}`;
  let tag = tags.get(at);
  if (tag === undefined) {
    tag = `W/"${createHash('sha256').update(at).digest('base64url').slice(0, 22)}"`;
    if (tags.size >= MAX_TAGS) tags.delete(tags.keys().next().value!);
    tags.set(at, tag);
  }
  return tag;
}

/** The opaque part of a tag, for the weak comparison (W/ ignored); undefined when malformed. */
function opaque(tag: string): string | undefined {
  const t = tag.startsWith('W/') ? tag.slice(2) : tag;
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') && !t.slice(1, -1).includes('"') ? t.slice(1, -1) : undefined;
}

/**
 * Whether If-None-Match holds the current tag (RFC 9110 13.1.2, weak comparison): `*` holds
 * any current representation (the record exists: the caller reached it), a list holds the
 * tag when one of its members matches. Malformed members match nothing.
 */
export function noneMatchHolds(header: string | undefined, current: string | undefined): boolean {
  if (header === undefined) return false;
  const members = header.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (members.includes('*')) return true;
  const want = current === undefined ? undefined : opaque(current);
  return want !== undefined && members.some((m) => opaque(m) === want);
}

const models = new WeakMap<FrameworkCatalog, string>();

/** A short digest of the model an entity rendering shows (kind, actions, the catalog's mixins); once per catalog. */
export function modelTag(catalog: FrameworkCatalog): string {
  let t = models.get(catalog);
  if (t === undefined) {
    t = createHash('sha256').update(JSON.stringify([DISCO_KIND, ACTIONS, frameworkMixins(catalog)])).digest('base64url').slice(0, 16);
    models.set(catalog, t);
  }
  return t;
}

/** Headers that go with the tag on a 200 and a 304: caches along the way keep the answer to the caller. */
export function validatorHeaders(tag: string | undefined): Record<string, string> {
  return { 'Cache-Control': 'private, no-cache', Vary: 'Accept', ...(tag === undefined ? {} : { ETag: tag }) };
}
