// Every failure becomes a clear 4xx (or 503 when OpenStack, the store or the queue cannot be reached), rendered in
// the negotiated type; only a bug is a 500, logged with the request id and shown without
// details.
import type { NextFunction, Request, Response } from 'express';
import { DomainError, TooManyAttempts, type DomainErrorCode } from '../errors/domain-error.js';
import { ENTITY_TYPES, negotiate, OcciError, renderError, type OcciErrorCode } from '../occi/index.js';
import { OpenStackError, BadRequestError as OsBadRequest, OverLimitError } from '../openstack/index.js';
import { StoreUnavailableError } from '../store/errors.js';
import { QueueUnavailableError } from '../queue/job-queue.js';

/** An answer the HTTP layer itself gives (405 and the like). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** The one place a domain refusal becomes an HTTP status. */
export const STATUS_OF: Record<DomainErrorCode | OcciErrorCode, number> = {
  INVALID: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UNAVAILABLE: 503, TOO_MANY_ATTEMPTS: 429,
  OCCI_PARSE: 400, OCCI_NOT_ACCEPTABLE: 406, OCCI_UNSUPPORTED_MEDIA_TYPE: 415,
};

function status(e: unknown): { status: number; message: string } {
  if (e instanceof DomainError) return { status: STATUS_OF[e.code], message: e.message };
  if (e instanceof HttpError) return { status: e.status, message: e.message };
  if (e instanceof OcciError) return { status: STATUS_OF[e.code], message: e.message };
  if (e instanceof OverLimitError) return { status: 409, message: `OpenStack refused: ${e.osMessage ?? e.message}` };
  if (e instanceof OsBadRequest) return { status: 400, message: `OpenStack refused the request: ${e.osMessage ?? e.message}` };
  if (e instanceof OpenStackError) return { status: 503, message: `OpenStack is not available right now (${e.operation}: ${e.code})` };
  if (e instanceof StoreUnavailableError || e instanceof QueueUnavailableError) return { status: 503, message: 'the service cannot reach its store or queue right now; try again in a few seconds' };
  const bp = e as { type?: string; status?: number; message?: string };
  if (bp.type === 'entity.too.large') return { status: 413, message: 'the request body is too large' };
  if (typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) return { status: bp.status, message: bp.message ?? 'bad request' };
  return { status: 500, message: '' };
}

export function errorHandler(e: unknown, req: Request, res: Response, _next: NextFunction): void {
  const s = status(e);
  if (s.status >= 500) req.log.error({ err: e }, 'request failed');
  const message = s.status === 500 ? `internal error (request ${req.id})` : s.message;
  const attribute = e instanceof DomainError && s.status < 500 ? e.attribute : undefined;
  const r = renderError(s.status, message, negotiate(req.get('accept'), ENTITY_TYPES) ?? 'text/plain', attribute);
  for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
  if (s.status === 503) res.setHeader('Retry-After', '5');
  if (e instanceof TooManyAttempts) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(e.retryAfterSeconds))));
  res.status(s.status).type(`${r.contentType}; charset=utf-8`).send(r.body);
}

export function methodNotAllowed(allow: string) {
  return (req: Request, res: Response): void => {
    res.setHeader('Allow', allow);
    throw new HttpError(405, `${req.method} is not allowed on ${req.path}; allowed: ${allow}`);
  };
}
