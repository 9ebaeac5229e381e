// A cluster's framework properties, settled: the request's icclab.disco.components.<fw>.<p>
// values checked against each framework's parameters schema (coerced: OCCI sends "3"),
// defaults from the schema and from the manifest's expressions, then the manifest's
// checks. Every refusal is a 400 naming the property and saying how to fix it.
import { DomainError, badAttribute } from '../errors/domain-error.js';
import type { Framework } from './catalog.js';
import { evaluate, type Facts } from './expr.js';
import { componentAttribute } from '../disco-kind/attribute-names.js';

export type Properties = Record<string, Record<string, string | number | boolean>>;

/**
 * The secret values settled with a set of properties, until they are sealed in the record:
 * the create's size check and the dry run render the node script from the spec before the
 * record exists, and a secret the script carries (secret_in_script: bootstrap.post_init)
 * counts in its size. Kept beside the properties object, never in it, so nothing that stores
 * or serializes the spec can write them in clear.
 */
const unsealed = new WeakMap<object, Properties>();

/** The secrets settleProperties settled with these properties (the same object), if it did. */
export function unsealedSecrets(properties: object): Properties | undefined {
  return unsealed.get(properties);
}

const attr = componentAttribute;

function fill(message: string, values: Facts): string {
  return message.replace(/\{([a-z_]+)\}/g, (m, k: string) => (values[k] === undefined ? m : String(values[k])));
}

export function settleProperties(frameworks: readonly Framework[], given: Properties, facts: Facts):
{ properties: Properties; secrets: Properties } {
  const names = new Set(frameworks.map((f) => f.name));
  for (const [fw, props] of Object.entries(given)) {
    // unknown frameworks were refused with the request (spec.ts); unknown ones are never requested either
    if (!names.has(fw)) throw badAttribute(attr(fw, Object.keys(props)[0] ?? '*'), `a property of a requested framework (${fw} is not requested: add it to icclab.disco.dependencies.inject)`);
  }
  const properties: Properties = {};
  const secrets: Properties = {};
  for (const f of frameworks) {
    const values: Record<string, string | number | boolean> = { ...(given[f.name] ?? {}) };
    if (!f.validate(values)) {
      const e = f.validate.errors![0]!;
      const prop = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.instancePath.slice(1);
      const known = Object.keys((f.parameters as { properties: object }).properties);
      const expected = e.keyword === 'additionalProperties'
        ? (known.length ? `a property of ${f.name} among ${known.join(', ')}` : `no property: ${f.name} has none`)
        : `a value that ${e.message}`;
      throw badAttribute(attr(f.name, prop), expected, given[f.name]?.[prop]);
    }
    for (const [p, e] of Object.entries(f.defaults)) {
      if (values[p] === undefined) values[p] = evaluate(e, facts, values);
    }
    for (const c of f.checks) {
      if (evaluate(c.assert, facts, values) !== true) {
        const name = attr(f.name, c.property);
        throw new DomainError('INVALID', `${name}: ${fill(c.message, { ...facts, ...values })}`, name);
      }
    }
    const open: Record<string, string | number | boolean> = {};
    for (const [p, v] of Object.entries(values)) {
      if (f.secret_properties.includes(p)) (secrets[f.name] ??= {})[p] = v;
      else open[p] = v;
    }
    properties[f.name] = open;
  }
  unsealed.set(properties, secrets);
  return { properties, secrets };
}
