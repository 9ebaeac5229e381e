// The express applications: the API (liveness, request context, the query interface, the
// disco routes, 404 for anything else, errors last), the admin listener's and a worker's.
import express, { type Express } from 'express';
import type { Logger } from '../log/logger.js';
import type { Discovery } from '../occi/index.js';
import { notFound } from '../errors/domain-error.js';
import { requestContext } from './context.js';
import { errorHandler } from './errors.js';
import { discoRoutes, type DiscoRouteDeps } from './routes-disco.js';
import { adminRoutes, livenessRoute, type HealthDeps } from './routes-health.js';
import { queryRoutes } from './routes-query.js';
import { changesRoutes, type ChangesDeps } from './routes-changes.js';
import { projectRoutes, type ProjectDeps } from './routes-project.js';
import { dashboardRoutes, type DashboardDeps } from './dashboard/routes.js';
import { sessionAuth } from './dashboard/session-auth.js';

function base(logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(livenessRoute());
  app.use(requestContext(logger));
  return app;
}

/** The admin listener's app: /healthz, /readyz and /metrics (never on the public port). */
export function createAdminApp(o: { logger: Logger; health: HealthDeps }): Express {
  const app = base(o.logger);
  app.use(adminRoutes(o.health));
  app.use(() => { throw notFound('the admin listener serves /healthz, /readyz and /metrics only'); });
  app.use(errorHandler);
  return app;
}

/** A worker's public port: /healthz only (its /readyz and /metrics are on the admin listener). */
export function createProbeApp(o: { logger: Logger }): Express {
  const app = base(o.logger);
  app.use(() => { throw notFound('this process is a worker: it serves /healthz here, /readyz and /metrics on its admin port'); });
  app.use(errorHandler);
  return app;
}

export type AppDeps = DiscoRouteDeps & { logger: Logger; discovery: Discovery; dashboard: Omit<DashboardDeps, 'auth' | 'policy' | 'publicUrl'>;
  changes: Pick<ChangesDeps, 'pollMs' | 'maxStreams'>; project: Omit<ProjectDeps, 'auth' | 'policy'> };

export function createApp(o: AppDeps): Express {
  const app = base(o.logger);
  // bodies are read by the handlers that take one, after authentication when they can (body.ts)
  app.use(queryRoutes(o.discovery));
  app.use(dashboardRoutes({ ...o.dashboard, auth: o.auth, policy: o.policy, publicUrl: o.publicUrl }));
  // from here on, a dashboard session's cookie stands in for X-Auth-Token (with its CSRF token for changes)
  app.use(sessionAuth(o.dashboard.box));
  app.use(projectRoutes({ ...o.project, auth: o.auth, policy: o.policy }));
  app.use(changesRoutes({ ...o.changes, auth: o.auth, policy: o.policy, clusters: o.clusters, catalog: o.catalog }));
  app.use(discoRoutes(o));
  app.use(() => { throw notFound('no such resource'); });
  app.use(errorHandler);
  return app;
}
