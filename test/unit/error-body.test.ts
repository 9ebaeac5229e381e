// Error bodies as each service writes them (shapes from the services' API references and
// from answers seen on the local cloud).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseErrorBody } from '../../src/openstack/error-body.js';

test('keystone', () => {
  assert.deepEqual(parseErrorBody('{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}'),
    { message: 'The request you have made requires authentication.', type: 'Unauthorized' });
});

test('heat', () => {
  assert.deepEqual(parseErrorBody(JSON.stringify({ explanation: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    code: 400, error: { message: 'Property error: resources.x.properties: Unknown Property lenght', traceback: null, type: 'StackValidationFailed' }, title: 'Bad Request' })),
  { message: 'Property error: resources.x.properties: Unknown Property lenght', type: 'StackValidationFailed' });
});

test('nova', () => {
  assert.deepEqual(parseErrorBody('{"itemNotFound": {"code": 404, "message": "Flavor m1.x could not be found."}}'),
    { message: 'Flavor m1.x could not be found.', type: 'itemNotFound' });
});

test('neutron', () => {
  assert.deepEqual(parseErrorBody('{"NeutronError": {"type": "NetworkNotFound", "message": "Network x could not be found.", "detail": ""}}'),
    { message: 'Network x could not be found.', type: 'NetworkNotFound' });
});

test('glance and webob plain text or HTML', () => {
  assert.deepEqual(parseErrorBody('<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID x<br /><br />\n</body>\n</html>'),
    { message: '404 Not Found 404 Not Found No image found with ID x' });
  assert.deepEqual(parseErrorBody('503 Service Unavailable\n\nThe server is currently unavailable.'),
    { message: '503 Service Unavailable The server is currently unavailable.' });
});

test('empty, odd and huge bodies', () => {
  assert.deepEqual(parseErrorBody(''), {});
  assert.deepEqual(parseErrorBody('[]'), { message: '[]' });
  assert.deepEqual(parseErrorBody('{"message": "plain"}'), { message: 'plain' });
  const huge = parseErrorBody(JSON.stringify({ error: { message: 'x'.repeat(5000) } }));
  assert.equal(huge.message?.length, 1001);
});
