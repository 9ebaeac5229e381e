// Probes and metrics, without authentication. /healthz (the process answers) is on every
// listener. /readyz (store, queue and Keystone reachable; 503 naming what is not) and
// /metrics (Prometheus text) show cross-tenant counts and internal error text: they are
// served on the admin listener only (SM_ADMIN_PORT, loopback by default).
import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/readiness.js';

export interface HealthDeps { readiness: ReadinessCheck; metrics: Metrics; stopping(): boolean }

export function livenessRoute(): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => { res.type('text/plain').send('ok\n'); });
  return r;
}

export function adminRoutes(o: HealthDeps): Router {
  const r = Router();
  r.use(livenessRoute());
  r.get('/readyz', async (_req, res, next) => {
    try {
      const s = await o.readiness.check();
      const ready = s.ready && !o.stopping();
      res.status(ready ? 200 : 503).json({ ready, ...(o.stopping() ? { stopping: true } : {}), checks: s.checks });
    } catch (e) { next(e); }
  });
  r.get('/metrics', async (_req, res, next) => {
    try {
      res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
    } catch (e) { next(e); }
  });
  return r;
}
