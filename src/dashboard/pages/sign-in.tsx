// Sign in with Keystone: the service keeps the token sealed in an HttpOnly cookie.
import { useState } from 'preact/hooks';
import type { SessionInfo } from '../../client/types.js';
import { ApiError } from '../../client/errors.js';
import { api } from '../api.js';

export function SignIn(p: { onSignedIn(s: SessionInfo): void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      p.onSignedIn(await api.signIn({ user: v('user'), password: String(f.get('password') ?? ''), project: v('project'), ...(v('domain') ? { domain: v('domain') } : {}) }));
    } catch (x) {
      setError(x instanceof ApiError ? x.message : String(x));
    } finally { setBusy(false); }
  };
  return (
    <main class="signin">
      <h1>DISCO clusters</h1>
      <h2>Sign in with your OpenStack account</h2>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        {error && <p id="signin-error" class="banner" role="alert">{error}</p>}
        <div class="field"><label for="user">User name</label><input id="user" name="user" autocomplete="username" required /></div>
        <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required /></div>
        <div class="field"><label for="project">Project</label><input id="project" name="project" required /></div>
        <div class="field"><label for="domain">Domain</label><input id="domain" name="domain" placeholder="Default" />
          <p class="hint">Leave empty for the service's default domain.</p></div>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
