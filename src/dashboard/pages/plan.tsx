// The dry run, readable: frameworks in install order, the security rules, the quota needed
// against what the project has left, and Heat's own validation.
import type { Plan, QuotaNumbers } from '../../client/types.js';

const QUOTA_LABEL: Record<keyof QuotaNumbers, string> = {
  instances: 'Instances', cores: 'Cores', ramMb: 'RAM (MB)', floatingIps: 'Floating IPs', networks: 'Networks', routers: 'Routers', securityGroups: 'Security groups',
};

export function PlanView(p: { plan: Plan }) {
  const q = p.plan.quota;
  return (
    <section aria-labelledby="plan-title">
      <h3 id="plan-title">Plan</h3>
      <p>{p.plan.workers} workers. {p.plan.validation.ok ? <span class="ok">Heat accepts the template.</span> : <span class="bad">Heat refuses the template: {p.plan.validation.message}</span>}</p>
      <h3>Frameworks, in install order</h3>
      <ol>{p.plan.frameworks.map((f) => <li>{f.name}{f.version ? ` ${f.version}` : ''}{Object.keys(f.properties).length ? `: ${Object.entries(f.properties).map(([k, v]) => `${k}=${typeof v === 'string' ? v.slice(0, 40) : JSON.stringify(v)}`).join(', ')}` : ''}</li>)}</ol>
      <h3>Security rules</h3>
      <table><thead><tr><th scope="col">Framework</th><th scope="col">Ports</th><th scope="col">Open to</th><th scope="col">Why</th></tr></thead>
        <tbody>{p.plan.security_rules.map((r) => (
          <tr><td>{r.framework}</td><td>{r.protocol} {r.portMin === r.portMax ? r.portMin : `${r.portMin}-${r.portMax}`}</td>
            <td>{r.remote === null ? 'nobody (no access CIDR set)' : r.remote === 'cluster' ? 'the cluster only' : r.remote}</td><td>{r.description}</td></tr>))}
        </tbody></table>
      <h3>Quota</h3>
      <p>{q.fits ? <span class="ok">The project's quota holds this cluster.</span> : <span class="bad">Over quota: {q.shortfalls.join('; ')}</span>}</p>
      <table><thead><tr><th scope="col">Resource</th><th scope="col">Needed</th><th scope="col">Left in the project</th></tr></thead>
        <tbody>{(Object.keys(QUOTA_LABEL) as (keyof QuotaNumbers)[]).map((k) => (
          <tr><td>{QUOTA_LABEL[k]}</td><td>{q.needed[k] ?? ''}</td><td>{q.headroom[k] === null ? 'no limit' : q.headroom[k]}</td></tr>))}
        </tbody></table>
    </section>
  );
}
