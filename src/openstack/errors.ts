// Typed errors for every OpenStack call: what failed (service and operation), how (HTTP
// status, OpenStack's own message and error type), and the request id to find it in the
// service's log. Messages pass through redact(): no secret ever leaves in an error.
import { redact } from '../log/redact.js';

export type OpenStackErrorCode =
  | 'OS_BAD_REQUEST' | 'OS_UNAUTHORIZED' | 'OS_FORBIDDEN' | 'OS_NOT_FOUND' | 'OS_CONFLICT'
  | 'OS_OVER_LIMIT' | 'OS_HTTP_ERROR' | 'OS_SERVER_ERROR' | 'OS_TIMEOUT' | 'OS_CONNECTION'
  | 'OS_ENDPOINT_NOT_FOUND' | 'OS_BAD_RESPONSE';

export interface OpenStackErrorDetails {
  service: string;       // keystone, heat, nova, glance, neutron
  operation: string;     // e.g. heat.createStack
  status?: number;
  osMessage?: string;    // the service's own message
  osType?: string;       // e.g. Heat's StackValidationFailed
  requestId?: string;
  cause?: unknown;
}

export class OpenStackError extends Error {
  readonly code: OpenStackErrorCode;
  readonly service: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly osMessage: string | undefined;
  readonly osType: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: OpenStackErrorCode, summary: string, d: OpenStackErrorDetails) {
    const osMessage = d.osMessage === undefined ? undefined : redact(d.osMessage);
    const parts = [`${d.operation} failed: ${summary}`];
    if (osMessage) parts.push(`: ${osMessage}`);
    if (d.requestId) parts.push(` (request ${d.requestId})`);
    super(redact(parts.join('')), d.cause === undefined ? undefined : { cause: d.cause });
    this.name = new.target.name;
    this.code = code;
    this.service = d.service;
    this.operation = d.operation;
    this.status = d.status;
    this.osMessage = osMessage;
    this.osType = d.osType;
    this.requestId = d.requestId;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name, code: this.code, message: this.message, service: this.service,
      operation: this.operation, status: this.status, osType: this.osType, requestId: this.requestId,
    };
  }
}

export class BadRequestError extends OpenStackError {}
export class UnauthorizedError extends OpenStackError {}
export class ForbiddenError extends OpenStackError {}
export class NotFoundError extends OpenStackError {}
export class ConflictError extends OpenStackError {}
export class OverLimitError extends OpenStackError {}
export class ServerError extends OpenStackError {}
export class HttpError extends OpenStackError {}
export class TimeoutError extends OpenStackError {}
export class ConnectionError extends OpenStackError {}
export class EndpointNotFoundError extends OpenStackError {}
export class BadResponseError extends OpenStackError {}

/** The typed error for an HTTP status. */
export function errorForStatus(status: number, d: OpenStackErrorDetails): OpenStackError {
  const s = `HTTP ${status}`;
  switch (status) {
    case 400: return new BadRequestError('OS_BAD_REQUEST', s, d);
    case 401: return new UnauthorizedError('OS_UNAUTHORIZED', s, d);
    case 403: return new ForbiddenError('OS_FORBIDDEN', s, d);
    case 404: return new NotFoundError('OS_NOT_FOUND', s, d);
    case 409: return new ConflictError('OS_CONFLICT', s, d);
    case 413: case 429: return new OverLimitError('OS_OVER_LIMIT', s, d);
    default:
      return status >= 500 ? new ServerError('OS_SERVER_ERROR', s, d) : new HttpError('OS_HTTP_ERROR', s, d);
  }
}
