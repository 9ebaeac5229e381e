// The credentials background work uses: the cluster's own application credential (cached
// session per cluster), and, for the stack create only, the caller's stored token.
import type { ClusterSecrets } from '../clusters/record.js';
import {
  AuthToken, connect, HeatClient, Session, type KeystoneClient, type OpenStack, type OpenStackHttp,
} from '../openstack/index.js';

export class CloudAccess {
  private readonly sessions = new Map<string, OpenStack>();

  constructor(private readonly o: { keystone: KeystoneClient; http: OpenStackHttp; authUrl: string; region: string; endpointOverrides?: Record<string, string> }) {}

  get keystone(): KeystoneClient { return this.o.keystone; }

  /** Clients acting with the cluster's application credential. */
  forCluster(id: string, s: ClusterSecrets): OpenStack {
    const cached = this.sessions.get(id);
    if (cached) return cached;
    if (!s.appCredentialId || !s.appCredentialSecret) throw new Error(`cluster ${id} has no application credential yet`);
    const os = connect({
      authUrl: this.o.authUrl, region: this.o.region, http: this.o.http, endpointOverrides: this.o.endpointOverrides ?? {},
      credentials: { kind: 'applicationCredential', id: s.appCredentialId, secret: s.appCredentialSecret },
    });
    this.sessions.set(id, os);
    return os;
  }

  forget(id: string): void {
    this.sessions.delete(id);
  }

  /** The caller's token, checked with Keystone now (it may have expired or been revoked). */
  async callerToken(token: string): Promise<AuthToken> {
    return new AuthToken(token, await this.o.keystone.validateToken(token));
  }

  /** Heat acting with the caller's own token: Heat refuses a stack create with an application credential. */
  heatAsCaller(token: AuthToken): HeatClient {
    return new HeatClient(Session.fromToken(this.o.keystone, token, { region: this.o.region, endpointOverrides: this.o.endpointOverrides ?? {} }), this.o.http);
  }
}
