// The errors the domain throws for a caller's request: a code saying what kind of refusal
// it is and, for bad input, the attribute and what was expected. Only api/ turns a code
// into an HTTP status (api/errors.ts).
export type DomainErrorCode =
  /** The input is wrong (an attribute, a value, a size). */
  | 'INVALID'
  /** Who is calling could not be established. */
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  /** Not possible in the cluster's current state. */
  | 'CONFLICT'
  /** Something the service depends on cannot be reached right now. */
  | 'UNAVAILABLE'
  /** Too many failed attempts (logins): refused before anything is asked; try again later. */
  | 'TOO_MANY_ATTEMPTS';

export class DomainError extends Error {
  constructor(readonly code: DomainErrorCode, message: string, readonly attribute?: string) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Refused for now, after too many failed attempts; a retry is welcome after that many seconds. */
export class TooManyAttempts extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', message);
  }
}

/** Bad input, naming the attribute and what was expected. */
export function badAttribute(attribute: string, expected: string, got?: unknown): DomainError {
  const was = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  return new DomainError('INVALID', `${attribute}: expected ${expected}${was}`, attribute);
}

export const invalid = (message: string, attribute?: string) => new DomainError('INVALID', message, attribute);
export const notFound = (what = 'no such cluster') => new DomainError('NOT_FOUND', what);
export const unauthorized = (why: string) => new DomainError('UNAUTHENTICATED', why);
export const conflict = (why: string) => new DomainError('CONFLICT', why);
export const unavailable = (why: string) => new DomainError('UNAVAILABLE', why);
