#!/bin/bash
# JupyterLab helpers (prefix jupyter_). Definitions only; the config writer is pure so the
# unit tests can read what it writes.

# jupyter_write_config FILE password HASH | FILE token TOKEN: the Jupyter Server config, mode
# 0600. Never without auth: exactly one of a hashed password (token login off) or a token.
# Never allow_origin '*': the origin is left empty (same-origin only). The secret comes as
# an argument: a shell function's arguments appear in no process list.
jupyter_write_config() {
  local file=$1 kind=${2:-} value=${3:-} auth
  # what may go between Python's single quotes: no quote, no backslash
  local hash_re='^[a-z0-9]+:[A-Za-z0-9$=,+/._:-]+$' token_re='^[A-Za-z0-9_-]{16,}$'
  case $kind in
    password)
      # argon2:$argon2id$v=19$m=10240,t=10,p=8$<salt>$<hash> (or sha1:<salt>:<hash>)
      [[ $value =~ $hash_re ]] || { echo "jupyter_write_config: not a password hash" >&2; return 1; }
      auth="c.PasswordIdentityProvider.hashed_password = '$value'
c.PasswordIdentityProvider.password_required = True
c.PasswordIdentityProvider.allow_password_change = False
c.IdentityProvider.token = ''"
      ;;
    token)
      [[ $value =~ $token_re ]] || { echo "jupyter_write_config: the token is empty or too short" >&2; return 1; }
      auth="c.IdentityProvider.token = '$value'"
      ;;
    *)
      echo "jupyter_write_config FILE password HASH | FILE token TOKEN: refusing to run JupyterLab without auth" >&2
      return 1
      ;;
  esac
  (
    umask 077
    cat >"$file.tmp" <<EOC
# JupyterLab on the cluster's master, written by the cluster bootstrap.
c = get_config()  # noqa: F821
c.ServerApp.ip = '0.0.0.0'
c.ServerApp.port = 8888
# 8888 is the port the security group opens: fail rather than move to another one
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.allow_remote_access = True
# same origin only, never a wildcard: any web page could drive the server with the user's login
c.ServerApp.allow_origin = ''
c.ServerApp.root_dir = '/home/jupyter'
$auth
EOC
  )
  chmod 0600 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

# jupyter_hash_password PYTHON: prints the argon2 hash of the password read on stdin, with the
# venv's jupyter_server (the password is never on a command line nor in the log).
jupyter_hash_password() {
  "$1" -c 'import sys
from jupyter_server.auth import passwd
password = sys.stdin.read()
if password.endswith("\n"):
    password = password[:-1]
if not password:
    sys.exit("empty password")
print(passwd(password, algorithm="argon2"))'
}
