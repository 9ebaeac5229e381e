// The HTTP servers: bounded in what and how long a connection may send. Headers must
// arrive within headersTimeout, the whole request within requestTimeout (a client that
// trickles its body is cut off with 408), an idle keep-alive connection is closed after
// keepAliveTimeout; headers larger than maxHeaderBytes get 431 from Node itself.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/schema.js';

export interface Listening { server: Server; url: string }

/** `checkEveryMs`: how often Node looks for connections past their time (tests make it short). */
export function serve(handler: RequestListener, o: { host: string; port: number; http: Config['http']; checkEveryMs?: number }): Promise<Listening> {
  const server = createServer({
    maxHeaderSize: o.http.maxHeaderBytes,
    headersTimeout: o.http.headersTimeoutSeconds * 1000,
    requestTimeout: o.http.requestTimeoutSeconds * 1000,
    keepAliveTimeout: o.http.keepAliveTimeoutSeconds * 1000,
    connectionsCheckingInterval: o.checkEveryMs ?? Math.min(1000, o.http.headersTimeoutSeconds * 250),
  }, handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ server, url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` });
    });
  });
}
