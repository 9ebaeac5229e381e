// Reading a request body, only when a handler asks: a request with credentials in its
// headers is authenticated before its body is read or parsed, so an unauthenticated
// caller costs no body parsing. Any type is read as text (the OCCI layer parses it).
import express, { type Request, type Response } from 'express';

export type BodyReader = (req: Request, res: Response) => Promise<void>;

export function bodyReader(limitBytes: number): BodyReader {
  const parse = express.text({ type: () => true, limit: limitBytes });
  return (req, res) => new Promise((resolve, reject) => { parse(req, res, (e?: unknown) => (e ? reject(e) : resolve())); });
}

/** Whether the headers carry credentials of their own (a token, or a user name and password). */
export function hasHeaderCredentials(req: Request): boolean {
  const h = (n: string) => (req.get(n) ?? '').trim() !== '';
  return h('x-auth-token') || (h('x-user-name') && h('x-password'));
}
