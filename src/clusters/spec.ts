// A create request's attributes -> a validated ClusterSpec. Everything here is checked
// without OpenStack; spec-check.ts then checks flavors, images and the network exist.
// Every rejection names the attribute and what was expected.
import type { AttributeValue, Category } from '../occi/model.js';
import type { Config } from '../config/schema.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { badAttribute } from '../errors/domain-error.js';
import { InjectParseError, parseInject, type FrameworkRequest } from './inject.js';
import { DISCO_KIND, FRAMEWORK_SCHEME } from '../disco-kind/kind.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterSpec } from './record.js';
import { parseComponentAttribute } from '../disco-kind/attribute-names.js';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const OPENSTACK_NAME = /^[^\s\u0000-\u001f][^\u0000-\u001f]{0,254}$/;
/** What a create may set; framework properties (icclab.disco.components.<fw>.<p>) come on top. */
const KNOWN = new Set<string>([
  ATTR.networkName, ATTR.externalNetwork, ATTR.masterImage, ATTR.workerImage, ATTR.masterFlavor,
  ATTR.workerFlavor, ATTR.workers, ATTR.inject, ATTR.username, ATTR.password, ATTR.region, ATTR.dryRun,
  ATTR.lifetime, ATTR.deadline, 'occi.core.title', 'occi.core.summary',
]);
const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Declared by the kind but the service's to set (state, stack status, IP, keys, ...). */
const OWNED = new Set(DISCO_KIND.attributes.map((a) => a.name).filter((n) => !KNOWN.has(n)));
/** Never stored or shown. */
export const SECRET_ATTRIBUTES = new Set<string>([ATTR.password]);

export type Defaults = Config['clusters'];

function text(attrs: Map<string, AttributeValue>, name: string, fallback: string, pattern = OPENSTACK_NAME, expected = 'a name or id'): string {
  const v = attrs.get(name);
  if (v === undefined) return fallback;
  const s = String(v).trim();
  if (!pattern.test(s)) throw badAttribute(name, expected, v);
  return s;
}

/** The worker count: an integer (number or numeric string, as old clients send) in 0..max. */
export function parseWorkers(v: AttributeValue | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const s = String(v).trim();
  const expected = `an integer from 0 to ${max}`;
  if (typeof v === 'boolean' || !/^\d+$/.test(s)) throw badAttribute(ATTR.workers, expected, v);
  const n = Number(s);
  if (n > max) throw badAttribute(ATTR.workers, expected, v);
  return n;
}

function frameworks(attrs: Map<string, AttributeValue>, mixins: Category[], catalog: FrameworkCatalog): FrameworkRequest[] {
  let requested: FrameworkRequest[] = [];
  const inject = attrs.get(ATTR.inject);
  if (inject !== undefined) {
    try { requested = parseInject(String(inject)); } catch (e) {
      if (e instanceof InjectParseError) throw badAttribute(ATTR.inject, e.message.replace(/^.*?: expected /, ''), inject);
      throw e;
    }
  }
  for (const m of mixins) {
    if (m.scheme !== FRAMEWORK_SCHEME) {
      throw badAttribute('Category', `the kind disco or framework mixins of scheme ${FRAMEWORK_SCHEME}`, `${m.scheme}${m.term}`);
    }
    if (!requested.some((r) => r.name === m.term)) requested.push({ name: m.term, version: null });
  }
  const known = catalog.optional().map((f) => f.name);
  for (const r of requested) {
    const f = catalog.get(r.name);
    if (!f || f.always) throw badAttribute(ATTR.inject, `frameworks among ${known.join(', ')}`, r.name);
    if (r.version !== null && r.version !== f.version) {
      throw badAttribute(ATTR.inject, `version ${f.version} of ${f.name} (the one installed) or '' for it`, r.version);
    }
  }
  // everything they need, and what every cluster gets, in install order
  return catalog.resolve(requested.map((r) => r.name)).map((f) => ({ name: f.name, version: f.version }));
}

function components(attrs: Map<string, AttributeValue>, catalog: FrameworkCatalog): ClusterSpec['components'] {
  const out: ClusterSpec['components'] = {};
  for (const [name, value] of attrs) {
    const c = parseComponentAttribute(name);
    if (!c) continue;
    const { framework: fw, property: prop } = c;
    if (!catalog.get(fw)) throw badAttribute(name, `a property of a framework among ${catalog.names().join(', ')}`);
    (out[fw] ??= {})[prop] = value;
  }
  return out;
}

/** Whether a create may set `name` (see checkCreateAttribute); no exception, for GET's rendering. */
export function isRequestAttribute(name: string): boolean {
  return createAttributeProblem(name) === undefined;
}

/**
 * Only what the disco kind and its framework mixins declare: anything else would be stored
 * and shown as if it were the service's (a caller could make its own cluster's GET say
 * stack_status="CREATE_COMPLETE"). A framework's property names are checked against its
 * manifest later (settleProperties), with the property named.
 */
export function checkCreateAttribute(name: string): void {
  const expected = createAttributeProblem(name);
  if (expected !== undefined) throw badAttribute(name, expected);
}

/** What a create expected instead of `name`, or undefined when it may set it. */
function createAttributeProblem(name: string): string | undefined {
  if (KNOWN.has(name)) return undefined;
  if (OWNED.has(name)) return 'an attribute a request may set: this one is set by the service';
  const c = parseComponentAttribute(name); // heat.* are the kind's own, in KNOWN
  // names as manifests write them: never __proto__ or the like, which an object would swallow
  if (c !== null && PROPERTY_NAME.test(c.framework) && PROPERTY_NAME.test(c.property)) return undefined;
  return 'an attribute of the disco kind or of a framework mixin (see GET /-/)';
}

export function buildSpec(
  attrs: Map<string, AttributeValue>, mixins: Category[], d: Defaults, catalog: FrameworkCatalog, id: string,
): ClusterSpec {
  for (const name of attrs.keys()) checkCreateAttribute(name);
  const dns = 'a DNS-safe name (letters, digits and -, at most 63, not starting or ending with -)';
  const name = text(attrs, 'occi.core.title', `disco-${id.slice(0, 8)}`, DNS_LABEL, dns);
  return {
    name,
    networkName: text(attrs, ATTR.networkName, `${name}-net`, DNS_LABEL, dns),
    externalNetwork: text(attrs, ATTR.externalNetwork, d.externalNetwork, OPENSTACK_NAME, 'a network name or id'),
    masterImage: text(attrs, ATTR.masterImage, d.masterImage, OPENSTACK_NAME, 'an image name or id'),
    workerImage: text(attrs, ATTR.workerImage, d.workerImage, OPENSTACK_NAME, 'an image name or id'),
    masterFlavor: text(attrs, ATTR.masterFlavor, d.masterFlavor, OPENSTACK_NAME, 'a flavor name or id'),
    workerFlavor: text(attrs, ATTR.workerFlavor, d.workerFlavor, OPENSTACK_NAME, 'a flavor name or id'),
    workers: parseWorkers(attrs.get(ATTR.workers), d.defaultWorkers, d.maxWorkers),
    frameworks: frameworks(attrs, mixins, catalog),
    components: components(attrs, catalog),
  };
}

/** The request's own attributes to keep and show: no credential, worker count as a number. */
export function storedAttributes(attrs: Map<string, AttributeValue>, spec: ClusterSpec, catalog: FrameworkCatalog): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of attrs) {
    if (k.startsWith('icclab.disco.deployer.') || k.startsWith('occi.core.') || k === ATTR.dryRun) continue;
    if (k === ATTR.lifetime || k === ATTR.deadline) continue; // kept as the record's expiry
    const c = parseComponentAttribute(k);
    if (c && catalog.get(c.framework)?.secret_properties.includes(c.property)) continue;
    out[k] = v;
  }
  out[ATTR.workers] = spec.workers;
  return out;
}
