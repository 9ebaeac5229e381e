#!/bin/bash
# The drain agent: on the master of a cluster whose frameworks take workers out before a
# scale-down (a manifest's `drain`; docs/frameworks.md, "Joining and leaving"). A scale is a
# stack update of worker_count; Heat hands the new count to the deployment `drain`
# (templates/heat/drain.yaml) and waits. The agent reads it from Heat, runs every framework's
# drain hook until the workers of index >= count are out (or, nobody leaving, every worker is
# back in), and signals the deployment: done, or drain_error with the reason. Only then does
# Heat delete workers. In the gzipped part of the node script. Definitions only.
# DISCO_DRAIN_HOOKS: "function:address function:name ..." (how each hook names workers);
# DISCO_DRAIN_TIMEOUT: seconds (SM_DRAIN_TIMEOUT_SECONDS).

# exported: the agent's hooks file (disco_drain_hooks_file) keeps the exported DISCO_* only
export DISCO_DRAIN_DIR=${DISCO_DRAIN_DIR:-/var/lib/disco-drain}

# disco_drain_leaving COUNT: the registered workers of index >= COUNT ("<ip> <name>" lines,
# in index order), but those a drain already took out (DISCO_DRAIN_DIR/left/<name>, newer than
# their registration: a new server under the name registers anew and counts again).
disco_drain_leaving() {
  local count=${1:?disco_drain_leaving COUNT} f ip name left
  [[ $count =~ ^[0-9]+$ ]] || { echo "disco_drain_leaving: not a count: '$count'" >&2; return 2; }
  for f in "${DISCO_HOSTS_D:-/etc/disco-cluster/hosts.d}"/*; do
    [ -f "$f" ] || continue
    read -r ip name _ <"$f" || true
    [[ ${name:-} =~ -worker-([0-9]+)$ ]] || continue
    [ "${BASH_REMATCH[1]}" -ge "$count" ] || continue
    left="$DISCO_DRAIN_DIR/left/$name"
    if [ -f "$left" ] && [ "$(cat "$left")" = "$ip" ] && [ "$f" -ot "$left" ]; then continue; fi
    printf '%s %s\n' "$ip" "$name"
  done | sort -k2,2V
}

# disco_drain_step LIST: every hook once with the workers in LIST ("<ip> <name>" lines; none:
# every worker back in); 0 when all are done, else 1 and what is still going on stdout.
disco_drain_step() {
  local hook fn by col out rc=0 args=()
  for hook in ${DISCO_DRAIN_HOOKS:-}; do
    fn=${hook%%:*} by=${hook#*:}
    if [ "$by" = address ]; then col=1; else col=2; fi
    mapfile -t args < <(awk -v c="$col" 'NF >= 2 {print $c}' "$1")
    if ! out=$("$fn" "${args[@]}" 2>&1); then
      rc=1
      printf '%s: %s\n' "$fn" "$(printf '%s' "$out" | tr '\n' ' ' | head -c 300)"
    fi
  done
  return "$rc"
}

# disco_drain_run COUNT: take the workers of index >= COUNT out of every framework, calling the
# hooks again every DISCO_DRAIN_POLL s until they are done (0, "drained: NAMES"). Past
# DISCO_DRAIN_TIMEOUT the drain is called off, every worker back in, and the reason printed (1).
disco_drain_run() {
  local count=${1:?disco_drain_run COUNT} list names out deadline timeout=${DISCO_DRAIN_TIMEOUT:-1800} ip name
  install -d -m 700 "$DISCO_DRAIN_DIR" "$DISCO_DRAIN_DIR/left"
  list="$DISCO_DRAIN_DIR/leaving"
  disco_drain_leaving "$count" >"$list" || return 1
  names=$(awk '{print $2}' "$list" | paste -sd ' ' -)
  deadline=$((SECONDS + timeout))
  until out=$(disco_drain_step "$list"); do
    if [ "$SECONDS" -ge "$deadline" ]; then
      : >"$list"
      disco_drain_step "$list" >/dev/null || true
      printf 'the drain of %s did not end within %s s (SM_DRAIN_TIMEOUT_SECONDS), so no worker was removed and all are back in service; still going: %s\n' \
        "${names:-no worker}" "$timeout" "$(printf '%s' "$out" | tr '\n' ' ' | head -c 400)"
      return 1
    fi
    sleep "${DISCO_DRAIN_POLL:-10}"
  done
  while read -r ip name; do printf '%s' "$ip" >"$DISCO_DRAIN_DIR/left/$name"; done <"$list"
  echo "drained: ${names:-nobody leaving, every worker in service}"
}

# disco_drain_hooks_file FILE: what the agent sources before disco_drain_run, root's only: every
# function defined now (the hooks and what they call) and the node facts they read (the exported
# DISCO_*, HADOOP_*, JAVA_HOME, PATH); no secret is exported.
disco_drain_hooks_file() {
  { echo 'set -uo pipefail'; declare -f; export -p | grep -E '^declare -x (DISCO_[A-Z0-9_]+|HADOOP_[A-Z0-9_]+|JAVA_HOME|PATH)=' |
      grep -v '^declare -x DISCO_BOOTSTRAP_POST_INIT='; } >"$1.tmp"
  chmod 600 "$1.tmp"
  mv -f "$1.tmp" "$1"
}

# disco_drain_agent_install: the master's agent (a systemd service, restarted on failure and
# up after a reboot) with the hooks' definitions and the channel's credentials, root's only.
disco_drain_agent_install() {
  install -d -m 700 "$DISCO_DRAIN_DIR"
  printf '%s\n' "$DISCO_DRAIN" >"$DISCO_DRAIN_DIR/channel.json"
  chmod 600 "$DISCO_DRAIN_DIR/channel.json"
  disco_drain_hooks_file "$DISCO_DRAIN_DIR/hooks.sh"
  cat >/usr/local/sbin/disco-drain-agent <<'DISCO_DRAIN_AGENT'
#!/usr/bin/python3
# The DISCO drain agent (written by the node script): reads its drain deployment from Heat,
# runs disco_drain_run, signals the result. State: /var/lib/disco-drain.
import json, os, subprocess, sys, time, urllib.error, urllib.request
D = os.environ.get('DISCO_DRAIN_DIR', '/var/lib/disco-drain')
POLL = float(os.environ.get('DISCO_DRAIN_AGENT_POLL', '10'))
def log(m): print(m, flush=True)
def call(url, body=None, token=None):
    h = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if token: h['X-Auth-Token'] = token
    req = urllib.request.Request(url, None if body is None else json.dumps(body).encode(), h, method='GET' if body is None else 'POST')
    return urllib.request.urlopen(req, timeout=30)
def login(auth_url, user_id, password, project_id):
    auth = auth_url.rstrip('/')
    auth = auth if auth.endswith('/v3') else auth + '/v3'
    r = call(auth + '/auth/tokens', {'auth': {'identity': {'methods': ['password'], 'password': {'user': {'id': user_id, 'password': password}}},
                                               'scope': {'project': {'id': project_id}}}})
    cat = json.load(r)['token'].get('catalog', [])
    heat = [e['url'] for s in cat if s['type'] == 'orchestration' for e in s['endpoints'] if e['interface'] == 'public']
    if not heat: raise RuntimeError('no orchestration endpoint in the catalog')
    return r.headers['X-Subject-Token'], heat[0].rstrip('/')
session = {}
def deployments(ch):
    # one login while its token lasts (Keystone checks a password per login), again after a 401
    if not session or time.time() > session['until']:
        session['token'], session['heat'] = login(ch['auth_url'], ch['user_id'], ch['password'], ch['project_id'])
        session['until'] = time.time() + 1800
    try:
        meta = json.load(call(f"{session['heat']}/stacks/{ch['stack_id']}/resources/{ch['resource_name']}/metadata", token=session['token']))['metadata']
    except urllib.error.HTTPError as e:
        if e.code == 401: session.clear()
        raise
    return [d for d in meta.get('deployments') or [] if d.get('group') == 'disco-drain']
def signal(inp, body):
    token, heat = login(inp['deploy_auth_url'], inp['deploy_user_id'], inp['deploy_password'], inp['deploy_project_id'])
    try:
        call(f"{heat}/stacks/{inp['deploy_stack_id']}/resources/{inp['deploy_resource_name']}/signal", body, token).read()
    except urllib.error.HTTPError as e:
        if e.code != 404: raise
def main():
    ch = json.load(open(f'{D}/channel.json'))['heat']
    done_file = f'{D}/done'
    done = set(open(done_file).read().split('\n')) if os.path.exists(done_file) else set()
    log(f"disco-drain-agent: watching {ch['stack_id']}")
    while True:
        try:
            for d in deployments(ch):
                inp = {i['name']: i.get('value') for i in d.get('inputs') or []}
                key = f"{d['id']} {inp.get('workers')}"
                if key in done: continue
                count = int(inp['workers'])
                log(f'disco-drain-agent: to {count} workers: draining')
                r = subprocess.run(['bash', '-c', '. "$1" && disco_drain_run "$2"', 'disco-drain', f'{D}/hooks.sh', str(count)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                last = ([x for x in r.stdout.splitlines() if x.strip()] or [f'exit {r.returncode}'])[-1][-600:]
                log(f'disco-drain-agent: to {count} workers: {last}')
                signal(inp, {'deploy_status_code': 0, 'deploy_stdout': last} if r.returncode == 0 else {'drain_error': last})
                done.add(key)
                with open(done_file, 'a') as f: f.write(key + '\n')
        except Exception as e:
            log(f'disco-drain-agent: {type(e).__name__}: {e}; trying again')
        time.sleep(POLL)
main()
DISCO_DRAIN_AGENT
  chmod 700 /usr/local/sbin/disco-drain-agent
  cat >/etc/systemd/system/disco-drain-agent.service <<'DISCO_DRAIN_UNIT'
[Unit]
Description=DISCO drain agent: takes workers out of the frameworks before a scale-down removes them
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/local/sbin/disco-drain-agent
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
DISCO_DRAIN_UNIT
  systemctl daemon-reload
  systemctl enable --now disco-drain-agent.service
  echo "drain agent running (hooks: ${DISCO_DRAIN_HOOKS:-none})"
}
