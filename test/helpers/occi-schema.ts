// Validation against the OCCI 1.2 JSON schema (draft-04), one definition at a time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module
const AjvClass = (Ajv as unknown as { default?: typeof Ajv }).default ?? Ajv;
const ajv = new (AjvClass as unknown as new (o: object) => {
  addSchema(s: object, key: string): void;
  getSchema(key: string): ((d: unknown) => boolean) & { errors?: unknown } | undefined;
})({ allErrors: true });
ajv.addSchema(JSON.parse(readFileSync(new URL('../fixtures/occi/occi-1.2-json-schema.json', import.meta.url), 'utf8')) as object, 'occi');

export function assertValid(definition: string, doc: unknown): void {
  const v = ajv.getSchema(`occi#/definitions/${definition}`);
  assert.ok(v, `no definition ${definition}`);
  assert.ok(v(doc), `${definition}: ${JSON.stringify(v.errors)}\n${JSON.stringify(doc)}`);
}

export function assertInvalid(definition: string, doc: unknown): void {
  const v = ajv.getSchema(`occi#/definitions/${definition}`);
  assert.ok(v);
  assert.equal(v(doc), false, `${definition} accepted ${JSON.stringify(doc)}`);
}
