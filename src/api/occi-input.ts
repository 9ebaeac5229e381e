// The OCCI request of an express request (its body was read as text for any type).
import type { Request } from 'express';
import { parseOcciRequest, type OcciRequest } from '../occi/index.js';

export function occiRequest(req: Request): OcciRequest {
  const body = typeof req.body === 'string' ? req.body : '';
  return parseOcciRequest({ headers: req.headers, body, ...(req.get('content-type') ? { contentType: req.get('content-type')! } : {}) });
}
