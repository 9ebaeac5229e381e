// What the service refused, as the client reports it: the HTTP status, the service's own
// message, and the attribute it concerns when the service named one (a form shows it there).
export type ApiErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID' | 'CONFLICT' | 'TOO_MANY' | 'UNAVAILABLE' | 'SERVER' | 'NETWORK';

const CODES: Record<number, ApiErrorCode> = { 400: 'INVALID', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'INVALID', 415: 'INVALID', 429: 'TOO_MANY', 503: 'UNAVAILABLE' };

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(readonly status: number, message: string, readonly attribute?: string, readonly requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = status === 0 ? 'NETWORK' : CODES[status] ?? (status >= 500 ? 'SERVER' : 'INVALID');
  }
}

/** The error a failed answer carries: the service's JSON error body, else its text. */
export async function apiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let message = text.trim() || `${res.status} ${res.statusText}`;
  let attribute: string | undefined;
  try {
    const e = (JSON.parse(text) as { error?: { message?: unknown; attribute?: unknown } }).error;
    if (typeof e?.message === 'string') message = e.message;
    if (typeof e?.attribute === 'string') attribute = e.attribute;
  } catch { /* not JSON: the text is the message */ }
  return new ApiError(res.status, message.slice(0, 2000), attribute, res.headers.get('x-request-id') ?? undefined);
}
