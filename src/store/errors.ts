// The store's own failure: the records cannot be reached right now (Redis away, a
// timeout). The API answers 503 with Retry-After; the queue retries the job.
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export function toStoreError(operation: string, e: unknown): Error {
  if (e instanceof StoreUnavailableError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new StoreUnavailableError(`the cluster store cannot be reached (${operation}: ${why})`, { cause: e });
}
