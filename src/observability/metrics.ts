// Prometheus metrics (prom-client): clusters by state and the queue's depth and age are
// read when scraped; reconcile durations and OpenStack calls are recorded as they happen.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileSeconds: Histogram<'outcome'>;
  readonly openstackSeconds: Histogram<'service' | 'status'>;
  readonly openstackErrors: Counter<'service' | 'status'>;

  constructor(o: { store: ClusterStore; queue: JobQueue; role: string }) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ role: o.role });
    collectDefaultMetrics({ register: this.registry, prefix: 'disco_sm_' });
    new Gauge({
      name: 'disco_sm_clusters', help: 'Cluster records by state', labelNames: ['state'], registers,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries(await o.store.countByState())) this.set({ state }, n);
      },
    });
    // one stats() per scrape: the first gauge reads it and sets the second, which the
    // registry serialises after it
    const oldest = new Gauge({ name: 'disco_sm_queue_oldest_due_seconds', help: 'How long the longest-waiting due job has waited', registers: [] });
    new Gauge({
      name: 'disco_sm_queue_jobs', help: 'Reconcile jobs by queue state (due, delayed, active, dead)', labelNames: ['state'], registers,
      async collect() {
        const s = await o.queue.stats();
        for (const k of ['due', 'delayed', 'active', 'dead'] as const) this.set({ state: k }, s[k]);
        oldest.set(s.oldestDueSeconds);
      },
    });
    this.registry.registerMetric(oldest);
    this.reconcileSeconds = new Histogram({
      name: 'disco_sm_reconcile_seconds', help: 'Duration of one reconcile step', labelNames: ['outcome'], registers,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
    this.openstackSeconds = new Histogram({
      name: 'disco_sm_openstack_request_seconds', help: 'OpenStack API calls by service and HTTP status (or timeout/connection)',
      labelNames: ['service', 'status'], registers, buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.openstackErrors = new Counter({
      name: 'disco_sm_openstack_errors_total', help: 'OpenStack API calls that failed (4xx, 5xx, timeout, connection), by service and status',
      labelNames: ['service', 'status'], registers,
    });
  }

  /** For OpenStackHttp's observe hook. */
  readonly observeOpenStack = (c: { service: string; status: string; seconds: number }): void => {
    this.openstackSeconds.observe({ service: c.service, status: c.status }, c.seconds);
    if (!/^[23]/.test(c.status)) this.openstackErrors.inc({ service: c.service, status: c.status });
  };
}
