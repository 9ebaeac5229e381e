// The express application: request context, raw text bodies (the OCCI layer parses
// them), the query interface, the disco routes, 404 for anything else, errors last.
import express, { type Express } from 'express';
import type { Logger } from '../log/logger.js';
import type { Discovery } from '../occi/index.js';
import { notFound } from '../clusters/errors.js';
import { requestContext } from './context.js';
import { errorHandler } from './errors.js';
import { discoRoutes, type DiscoRouteDeps } from './routes-disco.js';
import { queryRoutes } from './routes-query.js';

export function createApp(o: DiscoRouteDeps & { logger: Logger; discovery: Discovery }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestContext(o.logger));
  app.use(express.text({ type: () => true, limit: '256kb' }));
  app.use(queryRoutes(o.discovery));
  app.use(discoRoutes(o));
  app.use(() => { throw notFound('no such resource'); });
  app.use(errorHandler);
  return app;
}
