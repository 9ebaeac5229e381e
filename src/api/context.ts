// Per-request plumbing: a request id (the client's X-Request-Id when sane, else a new
// one), the OCCI Server header on every answer, and one log line per request that carries
// method, path, status and time, never a header or a body.
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import { OCCI_SERVER_HEADER } from '../occi/index.js';

declare module 'express-serve-static-core' {
  interface Request { id: string; log: Logger }
}

export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get('x-request-id');
    req.id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    // the child logger is made when something logs (a GET at level warn never does)
    let log: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (log ??= logger.child({ requestId: req.id })), configurable: true });
    res.setHeader('Server', OCCI_SERVER_HEADER);
    res.setHeader('X-Request-Id', req.id);
    if (logger.isLevelEnabled('info')) {
      const started = performance.now();
      res.on('finish', () => {
        // a path is the caller's: at most 200 characters of it reach the log
        req.log.info({ method: req.method, path: req.path.length > 200 ? `${req.path.slice(0, 200)}...` : req.path, status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10 }, 'request');
      });
    }
    next();
  };
}
