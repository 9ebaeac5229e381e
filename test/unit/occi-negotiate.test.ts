// Accept negotiation: q-values, wildcards, the text/plain default and the application/json alias.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COLLECTION_TYPES, ENTITY_TYPES, negotiate } from '../../src/occi/index.js';

test('missing, empty or */* Accept gives text/plain (the first offered)', () => {
  assert.equal(negotiate(undefined, ENTITY_TYPES), 'text/plain');
  assert.equal(negotiate('', ENTITY_TYPES), 'text/plain');
  assert.equal(negotiate('*/*', ENTITY_TYPES), 'text/plain');
  assert.equal(negotiate('text/*', COLLECTION_TYPES), 'text/plain');
});

test('exact types', () => {
  assert.equal(negotiate('text/occi', ENTITY_TYPES), 'text/occi');
  assert.equal(negotiate('application/occi+json', ENTITY_TYPES), 'application/occi+json');
  assert.equal(negotiate('text/uri-list', COLLECTION_TYPES), 'text/uri-list');
  assert.equal(negotiate('text/uri-list', ENTITY_TYPES), undefined);
});

test('q-values decide', () => {
  assert.equal(negotiate('text/occi;q=0.5, application/occi+json', ENTITY_TYPES), 'application/occi+json');
  assert.equal(negotiate('text/plain;q=0, */*;q=0.1', ENTITY_TYPES), 'text/occi');
  assert.equal(negotiate('text/plain;q=0, text/occi;q=0.2, application/occi+json;q=0.9', ENTITY_TYPES), 'application/occi+json');
  assert.equal(negotiate('text/plain;q=0', ['text/plain']), undefined);
  assert.equal(negotiate('application/*;q=0.3, text/occi;q=0.2', ENTITY_TYPES), 'application/occi+json');
});

test('application/json is served as application/occi+json', () => {
  assert.equal(negotiate('application/json', ENTITY_TYPES), 'application/occi+json');
  assert.equal(negotiate('application/json, text/plain;q=0.5', ENTITY_TYPES), 'application/occi+json');
  assert.equal(negotiate('application/json', ['text/plain', 'text/occi']), undefined);
});

test('nothing acceptable gives undefined (406)', () => {
  assert.equal(negotiate('image/png', ENTITY_TYPES), undefined);
  assert.equal(negotiate('text/html, application/xml;q=0.9', COLLECTION_TYPES), undefined);
  assert.equal(negotiate('*/*', []), undefined);
});
