// Domain errors the API turns into HTTP answers. Each names what was wrong and, for bad
// input, the attribute and what was expected.
export type ApiErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'CONFLICT' | 'NOT_IMPLEMENTED'
  | 'METHOD_NOT_ALLOWED' | 'NOT_ACCEPTABLE' | 'UNSUPPORTED_MEDIA_TYPE' | 'UNAVAILABLE' | 'FORBIDDEN';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: ApiErrorCode, message: string, readonly attribute?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 400 naming the attribute and what was expected. */
export function badAttribute(attribute: string, expected: string, got?: unknown): ApiError {
  const was = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  return new ApiError(400, 'BAD_REQUEST', `${attribute}: expected ${expected}${was}`, attribute);
}

export const notFound = (what = 'no such cluster') => new ApiError(404, 'NOT_FOUND', what);
export const unauthorized = (why: string) => new ApiError(401, 'UNAUTHORIZED', why);
