// The express application: probes and metrics, request context, raw text bodies (the
// OCCI layer parses them), the query interface, the disco routes, 404 for anything else,
// errors last.
import express, { type Express } from 'express';
import type { Logger } from '../log/logger.js';
import type { Discovery } from '../occi/index.js';
import { notFound } from '../errors/domain-error.js';
import { requestContext } from './context.js';
import { errorHandler } from './errors.js';
import { discoRoutes, type DiscoRouteDeps } from './routes-disco.js';
import { healthRoutes, type HealthDeps } from './routes-health.js';
import { queryRoutes } from './routes-query.js';

function base(logger: Logger, health: HealthDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(healthRoutes(health));
  app.use(requestContext(logger));
  return app;
}

/** A worker's HTTP side: the probes and the metrics only. */
export function createProbeApp(o: { logger: Logger; health: HealthDeps }): Express {
  const app = base(o.logger, o.health);
  app.use(() => { throw notFound('this process is a worker: it serves /healthz, /readyz and /metrics only'); });
  app.use(errorHandler);
  return app;
}

export function createApp(o: DiscoRouteDeps & { logger: Logger; discovery: Discovery; health: HealthDeps }): Express {
  const app = base(o.logger, o.health);
  // OCCI bodies are text whatever their type; requests without a body skip the parser
  app.use(express.text({ type: (req) => req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE', limit: '256kb' }));
  app.use(queryRoutes(o.discovery));
  app.use(discoRoutes(o));
  app.use(() => { throw notFound('no such resource'); });
  app.use(errorHandler);
  return app;
}
