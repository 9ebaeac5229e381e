// Content negotiation and writing a rendering onto the response.
import type { Request, Response } from 'express';
import { negotiate, NotAcceptableError, type MediaType, type Rendered } from '../occi/index.js';

export function choose(req: Request, offered: readonly MediaType[]): MediaType {
  const type = negotiate(req.get('accept'), offered);
  if (!type) throw new NotAcceptableError(`Accept: none of ${JSON.stringify(req.get('accept'))} can be rendered here; offered: ${offered.join(', ')}`);
  return type;
}

export function send(res: Response, r: Rendered, status = r.status ?? 200): void {
  for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
  // straight to Node: express's send() would re-parse the type and look for freshness we never offer
  res.setHeader('Content-Type', `${r.contentType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(r.body));
  res.statusCode = status;
  res.end(r.body); // Node leaves the body out of a HEAD answer
}

/** The base URL for absolute locations: configured, or from the request's Host. */
export function baseUrl(req: Request, configured: string | null): string {
  return (configured ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
}
