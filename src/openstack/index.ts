// The OpenStack client: one Session per set of credentials, one client per service.
import { GlanceClient } from './glance.js';
import { HeatClient } from './heat.js';
import { OpenStackHttp, type HttpOptions } from './http.js';
import { KeystoneClient, type Credentials, type Scope } from './keystone.js';
import { NeutronClient } from './neutron.js';
import { NovaClient } from './nova.js';
import { Session, type SessionOptions } from './session.js';

export * from './errors.js';
export * from './keystone.js';
export * from './heat.js';
export * from './nova.js';
export * from './glance.js';
export * from './neutron.js';
export { Session, type SessionOptions } from './session.js';
export { OpenStackHttp, type HttpOptions } from './http.js';
export { AuthToken, type TokenInfo, type CatalogEntry } from './token.js';
export { findEndpoint, type EndpointFilter, type Interface } from './catalog.js';

export interface OpenStack {
  session: Session;
  keystone: KeystoneClient;
  heat: HeatClient;
  nova: NovaClient;
  glance: GlanceClient;
  neutron: NeutronClient;
}

export interface ConnectOptions extends SessionOptions {
  authUrl: string;
  credentials: Credentials;
  scope?: Scope;
  http?: OpenStackHttp | HttpOptions;
}

/** Clients for one set of credentials. Nothing is called until the first request. */
export function connect(o: ConnectOptions): OpenStack {
  const http = o.http instanceof OpenStackHttp ? o.http : new OpenStackHttp(o.http);
  const keystone = new KeystoneClient(o.authUrl, http);
  return clientsFor(new Session(keystone, o.credentials, o.scope, o), http);
}

/** Clients over an existing session (e.g. one made from a caller's token). */
export function clientsFor(session: Session, http: OpenStackHttp): OpenStack {
  return {
    session, keystone: session.keystone,
    heat: new HeatClient(session, http), nova: new NovaClient(session, http),
    glance: new GlanceClient(session, http), neutron: new NeutronClient(session, http),
  };
}
