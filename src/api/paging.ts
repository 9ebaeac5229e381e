// Pages of GET /disco/, as OpenStack's APIs page their lists: ?limit=N (1..LIST_PAGE_MAX,
// default all up to that) and ?marker=<cluster id> (the page starts after that cluster), in a
// stable order (created_at, then id), with `Link: <URL>; rel="next"` while a page follows.
// The link also carries the marker's place (marker_created_at): a marker deleted between two
// pages is no longer in the list, and the next page still starts where it stood.
// Pure functions: the route reads the query and the project's records and sends the page.
import { badAttribute } from '../errors/domain-error.js';

export const LIST_PAGE_MAX = 1000;

export interface ListPage { limit: number; marker?: string; markerCreatedAt?: string }

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads ?limit and ?marker; a bad one is a 400 naming it. A repeated parameter is bad. */
export function listPage(q: Record<string, unknown>): ListPage {
  const limit = q.limit === undefined ? LIST_PAGE_MAX
    : typeof q.limit === 'string' && /^\d{1,4}$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= LIST_PAGE_MAX)) throw badAttribute('limit', `a whole number from 1 to ${LIST_PAGE_MAX}`, shown(q.limit));
  const at = q.marker_created_at;
  if (q.marker === undefined) {
    if (at !== undefined) throw badAttribute('marker_created_at', 'given only with marker (the next link gives both)', shown(at));
    return { limit };
  }
  if (typeof q.marker !== 'string' || !CLUSTER_ID.test(q.marker)) throw badAttribute('marker', 'the id of a cluster of your project', shown(q.marker));
  if (at === undefined) return { limit, marker: q.marker };
  if (typeof at !== 'string' || !INSTANT.test(at)) throw badAttribute('marker_created_at', 'the marker\'s created_at, as the next link gives it (UTC, ISO 8601)', shown(at));
  return { limit, marker: q.marker, markerCreatedAt: at };
}

/** created_at, then id: a cluster made between two pages lands after the ones already listed. */
export function listOrder(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One page of `all` (any order; sorted here): the items after `marker`, at most `limit`;
 * `next` is the last item of the page, when a page follows. A marker not in the list (deleted
 * since) is found by its place when `markerCreatedAt` gives it; else it is a 400 naming `marker`.
 */
export function pageOf<T extends { createdAt: string; id: string }>(all: readonly T[], p: ListPage): { items: T[]; next?: T } {
  const sorted = [...all].sort(listOrder);
  let from = 0;
  if (p.marker !== undefined) {
    const at = sorted.findIndex((x) => x.id === p.marker);
    if (at >= 0) from = at + 1;
    else if (p.markerCreatedAt !== undefined) {
      const place = { createdAt: p.markerCreatedAt, id: p.marker };
      from = sorted.findIndex((x) => listOrder(x, place) > 0);
      if (from < 0) from = sorted.length;
    } else throw badAttribute('marker', 'the id of a cluster of your project (this one is not listed: deleted since?)', p.marker);
  }
  const items = sorted.slice(from, from + p.limit);
  return from + p.limit < sorted.length ? { items, next: items.at(-1)! } : { items };
}

/** `<base/disco/?limit=N&marker=ID&marker_created_at=T>; rel="next"`: absolute, as the other locations. */
export function nextLink(baseUrl: string, collection: string, p: ListPage, next: { id: string; createdAt: string }): string {
  return `<${baseUrl}${collection}?limit=${p.limit}&marker=${encodeURIComponent(next.id)}&marker_created_at=${encodeURIComponent(next.createdAt)}>; rel="next"`;
}

/** What a refusal quotes of a bad value: a string cut short, anything else by its type. */
function shown(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 40)}...` : v;
  return Array.isArray(v) ? 'a repeated parameter' : typeof v;
}
