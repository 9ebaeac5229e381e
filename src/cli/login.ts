// The CLI's client of the service, logged in with Keystone: the credentials of the OS_* variables
// or clouds.yaml (credentials.ts), the token kept between commands (token-cache.ts).
import { DiscoClient } from '../client/client.js';
import { ApiError } from '../client/errors.js';
import { KeystoneClient, OpenStackError, OpenStackHttp } from '../openstack/index.js';
import { loginFrom, type Login } from './credentials.js';
import { TokenCache, tokenCacheFile } from './token-cache.js';

/** A client with a Keystone token: the one kept for these credentials (token-cache.ts), else a new
 * login, kept. A kept token the service refuses (revoked, the password changed) is dropped and
 * the request made once more with a new login. */
export async function loggedInClient(baseUrl: string, env: Record<string, string | undefined>, osCloud?: string): Promise<DiscoClient> {
  const login = loginFrom(env, osCloud ? { cloud: osCloud } : {});
  const cache = new TokenCache(tokenCacheFile(env));
  const kept = cache.get(login);
  let token = kept ?? await newToken(login, cache);
  let renewed = kept === undefined;
  const withToken = (init: RequestInit | undefined): RequestInit => ({ ...init, headers: { ...(init?.headers as Record<string, string>), 'X-Auth-Token': token } });
  const doFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(url, withToken(init));
    if (res.status !== 401 || renewed) return res;
    renewed = true;
    cache.drop(login);
    token = await newToken(login, cache);
    return fetch(url, withToken(init));
  };
  return new DiscoClient({ baseUrl, auth: { token }, fetch: doFetch });
}

async function newToken(login: Login, cache: TokenCache): Promise<string> {
  try {
    const t = await new KeystoneClient(login.authUrl, new OpenStackHttp({ retries: 1, timeoutMs: 30_000 })).authenticate(login.credentials, login.scope);
    cache.put(login, t.value, t.expiresAt);
    return t.value;
  } catch (e) {
    if (e instanceof OpenStackError) throw new ApiError(e.status === 401 ? 401 : 0, `Keystone at ${login.authUrl} did not give a token: ${e.osMessage ?? e.message}`);
    throw e;
  }
}
