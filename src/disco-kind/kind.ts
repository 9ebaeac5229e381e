// The OCCI Kind `disco`, its actions and one mixin per installed framework: what the query
// interface lists and what a create request may carry.
import type { ActionDef, AttributeDef, Discovery, KindDef, MixinDef } from '../occi/model.js';
import { categoryTitle, queryInterface } from '../occi/discovery.js';
import type { Framework, FrameworkCatalog } from '../frameworks/catalog.js';
import { ATTR, componentAttribute, uiAttribute } from './attribute-names.js';

export { ATTR } from './attribute-names.js';

export const SM_SCHEME = 'http://schemas.cloudcomplab.ch/occi/sm#';
export const ACTION_SCHEME = 'http://schemas.cloudcomplab.ch/occi/sm/action#';
export const FRAMEWORK_SCHEME = 'http://schemas.cloudcomplab.ch/occi/sm/framework#';
export const KIND_LOCATION = '/disco/';


const a = (name: string, type: AttributeDef['type'], mutable: boolean, description: string, required = false): AttributeDef =>
  ({ name, type, required, mutable, description });

const ATTRIBUTES: AttributeDef[] = [
  a('occi.core.id', 'string', false, 'cluster id'),
  a('occi.core.title', 'string', false, 'cluster name (DNS-safe; names its network, router and servers)'),
  a(ATTR.networkName, 'string', false, "name of the cluster's private network (DNS-safe)"),
  a(ATTR.externalNetwork, 'string', false, 'external network for the router and the floating IP'),
  a(ATTR.masterImage, 'string', false, 'Glance image of the master (name or id)'),
  a(ATTR.workerImage, 'string', false, 'Glance image of the workers (name or id)'),
  a(ATTR.masterFlavor, 'string', false, 'Nova flavor of the master (name or id)'),
  a(ATTR.workerFlavor, 'string', false, 'Nova flavor of the workers (name or id)'),
  a(ATTR.workers, 'number', true, 'number of workers'),
  a(ATTR.inject, 'string', false, "frameworks to install, e.g. {'hadoop':'','spark':''}"),
  a(ATTR.username, 'string', false, 'OpenStack user name (used to log in, never stored)'),
  a(ATTR.password, 'string', false, 'OpenStack password (used to log in, never stored or shown)'),
  a(ATTR.region, 'string', false, 'OpenStack region'),
  a(ATTR.dryRun, 'boolean', false, 'true: create nothing, answer with the plan'),
  a(ATTR.lifetime, 'number', true, 'seconds from ready after which the cluster deletes itself ("none" clears it)'),
  a(ATTR.deadline, 'string', true, 'a time (ISO 8601) at which the cluster deletes itself ("none" clears it)'),
  a('icclab.disco.expires_at', 'string', false, 'when the cluster deletes itself (from lifetime and deadline)'),
  a('icclab.disco.state', 'string', false, 'pending, deploying, installing, ready, updating, suspended, deleting, failed'),
  a('icclab.disco.reason', 'string', false, 'reason code when failed'),
  a('icclab.disco.message', 'string', false, 'what happened, in words'),
  a('icclab.disco.progress', 'string', false, 'servers up and nodes that finished installing, of all nodes'),
  a('icclab.disco.created_at', 'string', false, 'creation time (ISO 8601)'),
  a('icclab.disco.updated_at', 'string', false, 'last change (ISO 8601)'),
  a('external_ip', 'string', false, "the master's floating IP"),
  a('ssh_user', 'string', false, "who logs in with the cluster's key (the image's os_admin_user, or the configured default)"),
  a('ssh_key_name', 'string', false, 'Nova key pair name'),
  a('icclab.disco.gateway.fingerprint', 'string', false, "SHA-256 fingerprint of the gateway's certificate (made on the master)"),
  a('icclab.disco.gateway.pin', 'string', false, "the gateway's public key, as curl's --pinnedpubkey takes it"),
  a('icclab.disco.gateway.user', 'string', false, `the gateway's user; its password is ${componentAttribute('bootstrap', 'gateway_password')}`),
  a('icclab.disco.ui.status', 'string', false, "the nodes' progress and log tails, through the gateway"),
  a('ssh_public_key', 'string', false, 'public key of the key pair'),
  a('ssh_private_key', 'string', false, 'private key of the key pair (shown to the owning project only)'),
  a('stack_status', 'string', false, 'Heat stack status'),
  a('stack_status_reason', 'string', false, "Heat's reason for the status"),
  a('stackid', 'string', false, 'Heat stack id'),
  a('mcn.service.state', 'string', false, 'ICCLab service state'),
  a('runstate', 'string', false, 'running or suspended'),
];

const action = (term: string, title: string, attributes: AttributeDef[] = []): ActionDef =>
  ({ term, scheme: ACTION_SCHEME, title, attributes });

export const ACTIONS: ActionDef[] = [
  action('scale', 'change the number of workers', [a(ATTR.workers, 'number', true, 'new number of workers', true)]),
  action('suspend', 'suspend every server of the cluster'),
  action('resume', 'resume a suspended cluster'),
];

export const DISCO_KIND: KindDef = {
  term: 'disco', scheme: SM_SCHEME, title: 'DISCO cluster', location: KIND_LOCATION,
  attributes: ATTRIBUTES, actions: ACTIONS.map((x) => `${x.scheme}${x.term}`),
  parent: 'http://schemas.ogf.org/occi/core#resource',
};

/** A framework's properties as OCCI attribute definitions (icclab.disco.components.<fw>.<p>). */
function propertyDefs(f: Framework): AttributeDef[] {
  const props = (f.parameters as { properties: Record<string, { type?: string; default?: unknown; description?: string }> }).properties;
  return Object.entries(props).map(([p, d]) => ({
    name: componentAttribute(f.name, p),
    type: d.type === 'integer' || d.type === 'number' ? 'number' : d.type === 'boolean' ? 'boolean' : 'string',
    required: false, mutable: false,
    ...(d.description ? { description: d.description } : {}),
    ...(typeof d.default === 'number' || typeof d.default === 'string' || typeof d.default === 'boolean' ? { default: d.default } : {}),
  }));
}

const mixinCache = new WeakMap<FrameworkCatalog, MixinDef[]>();

/** One mixin per framework; computed once per catalog (every GET of a cluster uses them). */
export function frameworkMixins(catalog: FrameworkCatalog): MixinDef[] {
  const cached = mixinCache.get(catalog);
  if (cached) return cached;
  const mixins = catalog.all().map((m): MixinDef => ({
    term: m.name, scheme: FRAMEWORK_SCHEME,
    // a title never holds ';' (categoryTitle): clients split a Category on it even inside quotes
    title: categoryTitle(`${m.description} (${m.version}${m.always ? ', applied to every cluster' : ''})`), location: `/framework/${m.name}/`,
    attributes: [...propertyDefs(m), ...m.ui.map((u): AttributeDef => ({ name: uiAttribute(u.name), type: 'string', required: false, mutable: false,
      description: `${u.description ?? u.name}, through the gateway (HTTPS, the user and password of icclab.disco.gateway.user)` }))],
    applies: [`${SM_SCHEME}disco`],
    ...(m.depends_on.length ? { depends: m.depends_on.map((d) => `${FRAMEWORK_SCHEME}${d}`) } : {}),
  }));
  mixinCache.set(catalog, mixins);
  return mixins;
}

/** The query interface: OCCI Core's kinds, disco, the framework mixins and the actions (see queryInterface).
 * `defaults`: what this service uses for attributes a create leaves out (its configuration), shown as their defaults. */
export function discovery(catalog: FrameworkCatalog, defaults: Readonly<Record<string, string | number>> = {}): Discovery {
  const kind: KindDef = { ...DISCO_KIND, attributes: DISCO_KIND.attributes.map((x) => (defaults[x.name] === undefined ? x : { ...x, default: defaults[x.name]! })) };
  return queryInterface({ kinds: [kind], mixins: frameworkMixins(catalog), actions: ACTIONS });
}
