// Layering rules of src/ (architecture.md), checked by `npm run lint:deps` in npm test.
// test/unit/layering.test.ts shows each rule fails on a violating fixture (test/fixtures/layering).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'no import cycle between files (and so none between folders)',
      from: {}, to: { circular: true } },
    { name: 'occi-knows-no-clusters', severity: 'error', comment: 'occi/ parses and renders the protocol; it knows nothing of clusters or the service',
      from: { path: '^src/occi/' }, to: { path: '^src/(?!occi/)' } },
    { name: 'only-api-speaks-http', severity: 'error', comment: 'only api/ maps errors to HTTP statuses and knows express; nothing imports api/',
      from: { path: '^src/(?!api/|compose\\.ts)' }, to: { path: ['^src/api/', 'node_modules/express'] } },
    { name: 'domain-below-provisioning', severity: 'error', comment: 'the domain (clusters/) never reaches into the reconciler',
      from: { path: '^src/clusters/' }, to: { path: '^src/provisioning/' } },
    { name: 'clients-know-no-domain', severity: 'error', comment: 'openstack/, queue/, crypto/, log/, errors/ are clients and adapters: no domain inside (store/ keeps cluster records and may read their type)',
      from: { path: '^src/(openstack|queue|crypto|log|errors)/' }, to: { path: '^src/(clusters|provisioning|api|heat|frameworks|auth|store)/' } },
    { name: 'store-holds-records-only', severity: 'error', comment: 'store/ knows the record type, nothing else of the domain',
      from: { path: '^src/store/' }, to: { path: '^src/(clusters|provisioning|api|heat|frameworks|auth)/', pathNot: '^src/clusters/record\\.ts$' } },
    { name: 'browser-code-stays-in-the-browser', severity: 'error', comment: 'dashboard/ and client/ run in the browser: they import each other and the attribute names only, nothing of the server',
      from: { path: '^src/(dashboard|client)/' }, to: { path: '^src/', pathNot: ['^src/(dashboard|client)/', '^src/disco-kind/attribute-names\\.ts$'] } },
    { name: 'browser-code-has-no-node', severity: 'error', comment: 'no Node built-in in code that runs in the browser',
      from: { path: '^src/(dashboard|client)/' }, to: { dependencyTypes: ['core'] } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
