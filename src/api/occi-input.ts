// The OCCI request of an express request (its body was read as text for any type), within
// the limits of what one request may carry.
import type { Request } from 'express';
import { DEFAULT_LIMITS, parseOcciRequest, type OcciLimits, type OcciRequest } from '../occi/index.js';

export function occiRequest(req: Request, limits: OcciLimits = DEFAULT_LIMITS): OcciRequest {
  const body = typeof req.body === 'string' ? req.body : '';
  return parseOcciRequest({ headers: req.headers, body, ...(req.get('content-type') ? { contentType: req.get('content-type')! } : {}) }, limits);
}
