// Probes and metrics, without authentication (they show no cluster's details): /healthz
// (the process answers), /readyz (store, queue and Keystone reachable; 503 naming what is
// not) and /metrics (Prometheus text).
import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/readiness.js';

export interface HealthDeps { readiness: ReadinessCheck; metrics: Metrics; stopping(): boolean }

export function healthRoutes(o: HealthDeps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => { res.type('text/plain').send('ok\n'); });
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
