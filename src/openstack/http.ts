// The one place that talks HTTP to OpenStack: a timeout on every attempt, retries with
// capped backoff only for idempotent calls on 5xx and connection errors, typed errors,
// and one debug line per attempt that never carries a header or a body.
import got, { RequestError, TimeoutError as GotTimeoutError, type Method } from 'got';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from '../log/logger.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { parseErrorBody } from './error-body.js';
import { ConnectionError, errorForStatus, BadResponseError, TimeoutError, type OpenStackError } from './errors.js';

export interface HttpOptions {
  timeoutMs?: number;        // per attempt
  retries?: number;          // extra attempts, idempotent calls only
  backoff?: BackoffOptions;
  logger?: Logger;
  /** Told of every attempt: the service, the HTTP status or the error code, the seconds it took (metrics). */
  observe?: (o: { service: string; status: string; seconds: number }) => void;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallSpec {
  service: string;
  operation: string;
  method: Method;
  url: string;
  token?: string;
  headers?: Record<string, string>;
  json?: unknown;
  query?: Query;
  /** Overrides the default (GET, HEAD, PUT, DELETE and OPTIONS are idempotent). */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;             // parsed JSON, or undefined
  requestId: string | undefined;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function cleanQuery(q: Query | undefined): Record<string, string> | undefined {
  if (!q) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = String(v);
  return out;
}

export class OpenStackHttp {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: BackoffOptions;
  readonly logger: Logger;
  private readonly observe: NonNullable<HttpOptions['observe']>;

  constructor(o: HttpOptions = {}) {
    this.observe = o.observe ?? (() => undefined);
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.retries = o.retries ?? 3;
    this.backoff = o.backoff ?? { baseMs: 250, capMs: 5_000 };
    this.logger = o.logger ?? silentLogger;
  }

  async call(spec: CallSpec): Promise<HttpResponse> {
    const idempotent = spec.idempotent ?? IDEMPOTENT.has(spec.method.toUpperCase());
    const maxAttempts = idempotent ? this.retries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(spec, attempt);
      } catch (e) {
        const err = e as OpenStackError;
        const retryable = err.code === 'OS_CONNECTION' || err.code === 'OS_TIMEOUT' ||
          (err.code === 'OS_SERVER_ERROR' && err.status !== undefined && RETRYABLE_STATUS.has(err.status));
        if (!retryable || attempt + 1 >= maxAttempts) throw err;
        const delay = backoffDelay(attempt, this.backoff);
        this.logger.warn({ service: spec.service, operation: spec.operation, code: err.code,
          status: err.status, attempt: attempt + 1, retryInMs: delay }, 'openstack call failed, retrying');
        await sleep(delay);
      }
    }
  }

  private async once(spec: CallSpec, attempt: number): Promise<HttpResponse> {
    const started = performance.now();
    const path = new URL(spec.url).pathname;
    const base = { service: spec.service, operation: spec.operation };
    const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
    if (spec.token) headers['x-auth-token'] = spec.token;
    let res;
    try {
      res = await got(spec.url, {
        method: spec.method,
        headers,
        ...(spec.json === undefined ? {} : { json: spec.json }),
        ...(spec.query ? { searchParams: cleanQuery(spec.query) } : {}),
        timeout: { request: spec.timeoutMs ?? this.timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: true,
        responseType: 'text',
      });
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      const isTimeout = e instanceof GotTimeoutError;
      const code = e instanceof RequestError ? e.code : undefined;
      this.logger.debug({ ...base, method: spec.method, path, attempt, ms, error: code }, 'openstack call error');
      this.observe({ service: spec.service, status: isTimeout ? 'timeout' : 'connection', seconds: ms / 1000 });
      // the got error is not kept as `cause`: its options hold the request's token
      const details = { ...base, osMessage: code ?? (e as Error).message };
      throw isTimeout
        ? new TimeoutError('OS_TIMEOUT', `no answer within ${spec.timeoutMs ?? this.timeoutMs} ms`, details)
        : new ConnectionError('OS_CONNECTION', 'connection failed', details);
    }
    const requestId = header(res.headers, 'x-openstack-request-id') ?? header(res.headers, 'x-compute-request-id');
    const ms = performance.now() - started;
    this.logger.debug({ ...base, method: spec.method, path, status: res.statusCode, attempt, ms: Math.round(ms), requestId }, 'openstack call');
    this.observe({ service: spec.service, status: String(res.statusCode), seconds: ms / 1000 });
    const text = res.body;
    if (res.statusCode >= 400) {
      const parsed = parseErrorBody(text);
      throw errorForStatus(res.statusCode, { ...base, status: res.statusCode, requestId,
        ...(parsed.message ? { osMessage: parsed.message } : {}), ...(parsed.type ? { osType: parsed.type } : {}) });
    }
    let body: unknown;
    if (text && /json/i.test(header(res.headers, 'content-type') ?? '')) {
      try { body = JSON.parse(text); } catch (cause) {
        throw new BadResponseError('OS_BAD_RESPONSE', 'response is not valid JSON',
          { ...base, status: res.statusCode, requestId, cause });
      }
    }
    return { status: res.statusCode, headers: res.headers, body, requestId };
  }
}
