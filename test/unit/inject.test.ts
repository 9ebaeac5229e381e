// inject is data, never code: the forms old and new clients send, and what must be refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InjectParseError, parseInject } from '../../src/clusters/inject.js';

test('the Python dict form of the ICCLab README', () => {
  assert.deepEqual(parseInject("{'hadoop':'','spark':'','zeppelin':'','jupyter':''}"), [
    { name: 'hadoop', version: null }, { name: 'spark', version: null },
    { name: 'zeppelin', version: null }, { name: 'jupyter', version: null },
  ]);
  assert.deepEqual(parseInject(`{ 'hadoop' : '2.7.1' , "spark": None, 'disco': 0.5, }`), [
    { name: 'hadoop', version: '2.7.1' }, { name: 'spark', version: null }, { name: 'disco', version: '0.5' },
  ]);
  assert.deepEqual(parseInject('{}'), []);
});

test('JSON object and comma list', () => {
  assert.deepEqual(parseInject('{"hadoop": "", "spark": "2.2.0"}'), [{ name: 'hadoop', version: null }, { name: 'spark', version: '2.2.0' }]);
  assert.deepEqual(parseInject('hadoop, Spark=2.2.0 ,'), [{ name: 'hadoop', version: null }, { name: 'spark', version: '2.2.0' }]);
  assert.deepEqual(parseInject('  '), []);
});

test('code and malformed values are refused', () => {
  for (const bad of [
    "__import__('os').system('id')",
    "{'hadoop': __import__('os').system('id')}",
    "{'hadoop': ''}; import os",
    "{'hadoop': ''",
    "{hadoop: ''}",
    "{'hadoop' ''}",
    "{'had oop': ''}",
    "{'hadoop': '', 'hadoop': ''}",
    "{'hadoop': 'x; rm -rf /'}",
    '[1, 2]',
    "{'hadoop': lambda: 1}",
  ]) {
    assert.throws(() => parseInject(bad), InjectParseError, bad);
  }
  assert.throws(() => parseInject('rm -rf /'), /"rm -rf \/" is not a framework name/);
});
