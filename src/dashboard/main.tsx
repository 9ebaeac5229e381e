// The dashboard's entry: who is signed in (GET /dashboard/session), then the page the URL's
// hash names; the change stream opens beside the session check. The CSRF token lives in this
// page's memory only.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../client/types.js';
import { api, setCsrf, startLive, stopLive } from './api.js';
import { useRoute } from './route.js';
import { SignIn } from './pages/sign-in.js';
import { ClusterList } from './pages/list.js';
import { CreateCluster } from './pages/create.js';
import { ClusterPage } from './pages/cluster.js';

function App() {
  const [session, setSession] = useState<SessionInfo | null>();
  const route = useRoute();
  const signedIn = (s: SessionInfo | null) => { setCsrf(s?.csrf); if (!s) stopLive(); setSession(s); };
  useEffect(() => { api.session().then(signedIn, () => signedIn(null)); }, []);
  if (session === undefined) return <main><p>Loading…</p></main>;
  if (session === null) return <SignIn onSignedIn={signedIn} />;
  const signOut = async () => { await api.signOut().catch(() => undefined); stopLive(); signedIn(null); location.hash = ''; };
  return (
    <>
      <header class="top">
        <h1>DISCO clusters</h1>
        <nav aria-label="Pages"><a href="#/">Clusters</a>{session.may['disco:create'] && <a href="#/new">New cluster</a>}</nav>
        <span class="who">{session.user} in {session.project} ({session.roles.join(', ')})</span>
        <button type="button" class="secondary" onClick={() => { void signOut(); }}>Sign out</button>
      </header>
      {route.page === 'new' && session.may['disco:create'] ? <CreateCluster />
        : route.page === 'cluster' ? <ClusterPage id={route.id} session={session} />
          : <ClusterList mayCreate={session.may['disco:create'] === true} />}
    </>
  );
}

startLive();
render(<App />, document.getElementById('app')!);
