// The media types the service renders, which of them each kind of response offers, and the
// shape every renderer returns (the API layer copies it onto the HTTP response).
export type MediaType = 'text/plain' | 'text/occi' | 'application/occi+json' | 'text/uri-list';

/** Put in every response's `Server` header (the API layer sets it). */
export const OCCI_SERVER_HEADER = 'disco-sm OCCI/1.1';

/** Offer lists for negotiate(), text/plain first (the default for a missing Accept or * / *). */
export const ENTITY_TYPES: readonly MediaType[] = ['text/plain', 'text/occi', 'application/occi+json'];
export const COLLECTION_TYPES: readonly MediaType[] = [...ENTITY_TYPES, 'text/uri-list'];
export const DISCOVERY_TYPES: readonly MediaType[] = ENTITY_TYPES;

/** Request bodies parseOcciRequest() reads. */
export const REQUEST_TYPES: readonly string[] = ['text/occi', 'text/plain', 'application/occi+json'];

export interface Rendered {
  /** Set by renderError() only; otherwise the caller chooses (200, 201, ...). */
  status?: number;
  /** The bare media type; the API layer may add `; charset=utf-8`. */
  contentType: string;
  /** Multi-valued headers as arrays: one header line per element. */
  headers: Record<string, string | string[]>;
  body: string;
}
