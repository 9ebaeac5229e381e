// The gateway: the security group opens SSH and the gateway's ports to the access CIDR and
// nothing else (every web UI only through it), and the certificate the master signalled is
// read back into the cluster's fields and shown with the UIs' URLs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { securityRules } from '../../src/heat/security-rules.js';
import { gatewayOf, outputsToFields } from '../../src/heat/renderer.js';
import { gatewayAttributes } from '../../src/disco-kind/view.js';
import type { ClusterRecord } from '../../src/clusters/record.js';

const catalog = FrameworkCatalog.load();
const CIDR = '198.51.100.0/24';

test('only SSH and the gateway are public, whatever the frameworks', () => {
  const cases: [string[], number[]][] = [
    [[], [22, 8443]],
    [['hadoop'], [22, 8443, 18088, 19870]],
    [['spark'], [22, 8443, 18088, 19870, 28080]],            // spark brings hadoop
    [['jupyter', 'zeppelin', 'disco'], [22, 8443, 18070, 18088, 18888, 18989, 19870, 28080]], // zeppelin brings spark and hadoop
  ];
  for (const [asked, open] of cases) {
    const rules = securityRules(catalog.resolve(asked), CIDR);
    const pub = rules.filter((r) => r.audience === 'public');
    assert.deepEqual(pub.map((r) => r.portMin).sort((a, b) => a - b), open, asked.join(','));
    assert.ok(pub.every((r) => r.remote === CIDR && r.portMin === r.portMax));
    // every UI's own port is there for the cluster only
    for (const u of catalog.resolve(asked).flatMap((f) => f.ui)) {
      assert.ok(rules.some((r) => r.audience === 'cluster' && r.portMin <= u.port && u.port <= r.portMax), `${u.name} ${u.port}`);
      assert.ok(!pub.some((r) => r.portMin === u.port), `${u.name}'s own port is public`);
    }
  }
  assert.ok(securityRules(catalog.resolve(['hadoop']), null).filter((r) => r.audience === 'public').every((r) => r.remote === null), 'no CIDR: nothing opened');
});

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
const PIN = `sha256//${'A'.repeat(43)}=`;

test("the master's signal read back: fingerprint and pin, nothing from anything else", () => {
  assert.deepEqual(gatewayOf(JSON.stringify({ bootstrap: `gateway ${FP} ${PIN}`, hadoop: 'hadoop' })), { gatewayFingerprint: FP, gatewayPin: PIN });
  assert.deepEqual(gatewayOf({ bootstrap: `gateway ${FP} ${PIN}` }), { gatewayFingerprint: FP, gatewayPin: PIN });
  for (const bad of [undefined, '', 'not json', '{"bootstrap": "bootstrap"}', JSON.stringify({ bootstrap: `gateway ${FP.slice(3)} ${PIN}` }),
    JSON.stringify({ bootstrap: `gateway ${FP} ${PIN} extra` }), JSON.stringify({ hadoop: `gateway ${FP} ${PIN}` })]) {
    assert.deepEqual(gatewayOf(bad), {}, String(bad));
  }
  assert.deepEqual(outputsToFields({ external_ip: '192.0.2.7', master_signals: JSON.stringify({ bootstrap: `gateway ${FP} ${PIN}` }) }),
    { externalIp: '192.0.2.7', gatewayFingerprint: FP, gatewayPin: PIN });
});

test('GET shows the gateway and every UI of the cluster once the master reported its certificate', () => {
  const r = { spec: { frameworks: [{ name: 'bootstrap' }, { name: 'hadoop' }] }, outputs: { externalIp: '192.0.2.7', gatewayFingerprint: FP, gatewayPin: PIN } } as unknown as ClusterRecord;
  assert.deepEqual(gatewayAttributes(r, catalog), [
    ['icclab.disco.gateway.fingerprint', FP], ['icclab.disco.gateway.pin', PIN], ['icclab.disco.gateway.user', 'disco'],
    ['icclab.disco.ui.status', 'https://192.0.2.7:8443/'], ['icclab.disco.ui.hdfs', 'https://192.0.2.7:19870/'], ['icclab.disco.ui.yarn', 'https://192.0.2.7:18088/'],
  ]);
  assert.deepEqual(gatewayAttributes({ ...r, outputs: { externalIp: '192.0.2.7' } } as ClusterRecord, catalog), [], 'no certificate yet: no URL');
});
