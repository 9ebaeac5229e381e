// What every service client shares: find the endpoint in the catalog, add the token, and
// on a 401 (the cached token was revoked) fetch a fresh token and try once more.
import { UnauthorizedError } from './errors.js';
import type { HttpResponse, OpenStackHttp, Query } from './http.js';
import type { Session } from './session.js';
import type { Method } from 'got';

export interface RequestOptions {
  json?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  idempotent?: boolean;
  timeoutMs?: number;
}

export abstract class ServiceClient {
  /**
   * @param service name used in errors and logs
   * @param type catalog service type
   * @param version path appended to a catalog URL that does not already end in a version
   */
  constructor(
    protected readonly session: Session,
    protected readonly http: OpenStackHttp,
    private readonly service: string,
    private readonly type: string,
    private readonly version?: string,
  ) {}

  protected async baseUrl(): Promise<string> {
    const url = await this.session.endpoint(this.type);
    return this.version && !/\/v\d+(\.\d+)?$/.test(url) ? `${url}/${this.version}` : url;
  }

  protected async request(operation: string, method: Method, path: string, o: RequestOptions = {}): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.session.token();
      try {
        return await this.http.call({
          service: this.service, operation: `${this.service}.${operation}`, method,
          url: `${await this.baseUrl()}${path}`, token: token.value,
          ...(o.json === undefined ? {} : { json: o.json }),
          ...(o.query ? { query: o.query } : {}),
          ...(o.headers ? { headers: o.headers } : {}),
          ...(o.idempotent === undefined ? {} : { idempotent: o.idempotent }),
          ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
        });
      } catch (e) {
        if (!(e instanceof UnauthorizedError) || attempt > 0) throw e;
        this.session.invalidate(token);
      }
    }
  }
}

/**
 * Whether a value can be one URL path segment. Encoding cannot make "." or ".." safe: a URL
 * parser resolves them (and %2e%2e) as dot segments, so `/flavors/..` would become a
 * request to the API's root. Lookups by name go to the listing for such values.
 */
export const isSegment = (s: string): boolean => s !== '' && !/^(\.|%2e){1,2}$/i.test(s);

/** One URL path segment; a value that cannot be one is a bug of the caller (see isSegment). */
export function seg(s: string): string {
  if (!isSegment(s)) throw new TypeError(`${JSON.stringify(s)} cannot be a URL path segment`);
  return encodeURIComponent(s);
}
