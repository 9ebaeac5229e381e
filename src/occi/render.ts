// Renders a response in the negotiated media type. A type a response cannot take (a single
// entity or the query interface as text/uri-list) throws NotAcceptableError (406); offer only
// ENTITY_TYPES / COLLECTION_TYPES / DISCOVERY_TYPES to negotiate() and it never happens.
import { NotAcceptableError } from './errors.js';
import type { MediaType, Rendered } from './media.js';
import type { Discovery, EntityView } from './model.js';
import { renderCollectionJson, renderDiscoveryJson, renderEntityJson } from './render-json.js';
import { renderCollectionText, renderDiscoveryText, renderEntityText } from './render-text.js';

export interface CollectionItem { location: string; view?: EntityView }

export function renderEntity(view: EntityView, type: MediaType, _baseUrl: string): Rendered {
  if (type === 'application/occi+json') return renderEntityJson(view);
  if (type === 'text/uri-list') throw new NotAcceptableError('a single resource cannot be rendered as text/uri-list');
  return renderEntityText(view, type);
}

/** JSON needs every item's view (see renderCollectionJson); text renderings use locations only. */
export function renderCollection(items: readonly CollectionItem[], type: MediaType, baseUrl: string): Rendered {
  if (type === 'application/occi+json') return renderCollectionJson(items);
  return renderCollectionText(items.map((i) => i.location), type, baseUrl);
}

export function renderDiscovery(d: Discovery, type: MediaType): Rendered {
  if (type === 'application/occi+json') return renderDiscoveryJson(d);
  if (type === 'text/uri-list') throw new NotAcceptableError('the query interface cannot be rendered as text/uri-list');
  return renderDiscoveryText(d, type);
}

/** text types: body `message\n` (text/uri-list falls back to text/plain); JSON: `{"error": {code, message}}`. */
/** `attribute`: the one the refusal is about, for clients that show it beside their field (JSON only). */
export function renderError(status: number, message: string, type: MediaType | undefined = 'text/plain', attribute?: string): Rendered {
  if (type === 'application/occi+json') {
    return { status, contentType: type, headers: {}, body: JSON.stringify({ error: { code: status, message, ...(attribute ? { attribute } : {}) } }) };
  }
  return { status, contentType: type === 'text/occi' ? type : 'text/plain', headers: {}, body: `${message}\n` };
}
