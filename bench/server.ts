// The process the HTTP benchmarks load: the service's API (role api, so nothing reaches
// the cloud) and, on a second port, a bare express handler that reads the same store and
// sends the record as JSON: the floor any GET /disco/<id> could reach on this machine; and
// the admin listener (/metrics).
import express from 'express';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';

const config = loadConfig();
const service = compose(config, createLogger({ level: 'warn', name: 'bench' }));
const bare = express();
bare.get('/disco/:id', async (req, res) => {
  const r = await service.store.get(req.params.id);
  if (!r) { res.status(404).end(); return; }
  res.json(r);
});
const api = service.app.listen(0, '127.0.0.1', () => {
  const b = bare.listen(0, '127.0.0.1', () => {
    const port = (s: typeof api) => (s.address() as { port: number }).port;
    const admin = service.admin.listen(0, '127.0.0.1', () => {
      process.stdout.write(`${JSON.stringify({ api: port(api), bare: port(b), admin: port(admin) })}\n`);
    });
  });
});
process.on('SIGTERM', () => { void service.close().then(() => process.exit(0)); });
