// X-OCCI-Location values (comma-joined or repeated URIs) and the absolute URLs renderings use.
import { OcciParseError } from './errors.js';
import { show } from './grammar.js';
import { splitHeaderItems } from './split.js';

/** Parses every URI of an X-OCCI-Location header; `<URI>` is accepted too. */
export function parseLocations(values: readonly string[]): string[] {
  return splitHeaderItems(values).map((item) => {
    const uri = item.startsWith('<') && item.endsWith('>') ? item.slice(1, -1).trim() : item;
    if (uri === '' || /\s|[<>"]/.test(uri)) {
      throw new OcciParseError(`X-OCCI-Location: invalid URI ${show(item, 80)} (expected one URI per item)`);
    }
    return uri;
  });
}

/** `http://host:port` + `/path` → absolute URL; an absolute location is kept. */
export function absoluteUrl(baseUrl: string, location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}${location.startsWith('/') ? '' : '/'}${location}`;
}

/** The path (and query) of a URI a client sent: `http://h/disco/x` → `/disco/x`. */
export function locationPath(uri: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  try {
    const u = new URL(uri);
    return `${u.pathname}${u.search}`;
  } catch {
    throw new OcciParseError(`invalid URI ${show(uri, 80)}`);
  }
}
