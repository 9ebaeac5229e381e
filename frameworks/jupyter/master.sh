#!/bin/bash
# JupyterLab on the master (workers get nothing): a venv in /opt/jupyter from the mirror's
# package index, a `jupyter` system user, a systemd unit on 0.0.0.0:8888, a hashed password
# when the owner gave one, else the generated token (shown to the owner).
# DISCO_MIRROR comes from the node script's environment (through disco_pip_install).

disco_apt_install python3 python3-venv curl
id jupyter >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/jupyter --shell /usr/sbin/nologin jupyter
jupyter_home=$(getent passwd jupyter | cut -d: -f6)

# the manifest's version (DISCO_JUPYTER_VERSION, e.g. 4.1 -> 4.1.*); already satisfied on a
# re-run, then nothing is downloaded
disco_pip_install /opt/jupyter "jupyterlab==${DISCO_JUPYTER_VERSION:-4.1}.*"

# In the venv's own config path (sys.prefix/etc/jupyter, read by its jupyter), a root-owned
# folder: root never writes where notebook code (running as jupyter) could plant a symlink.
install -d -m 0755 /opt/jupyter/etc/jupyter
jupyter_config=/opt/jupyter/etc/jupyter/jupyter_server_config.py
jupyter_password=$(disco_secret jupyter_password)
if [ -n "$jupyter_password" ]; then
  jupyter_hash=$(printf '%s' "$jupyter_password" | jupyter_hash_password /opt/jupyter/bin/python)
  jupyter_write_config "$jupyter_config" password "$jupyter_hash"
  echo "jupyter: password login (the owner's password, stored hashed), token login off"
else
  jupyter_write_config "$jupyter_config" token "$(disco_secret jupyter_token | tr -d '[:space:]')"
  echo "jupyter: token login (the generated token, shown to the cluster's owner)"
fi
unset jupyter_password jupyter_hash
chown jupyter:jupyter "$jupyter_config"
chmod 0600 "$jupyter_config"

cat >/etc/systemd/system/jupyter.service <<EOU
[Unit]
Description=JupyterLab (cluster master)
After=network-online.target
Wants=network-online.target

[Service]
User=jupyter
Group=jupyter
WorkingDirectory=$jupyter_home
ExecStart=/opt/jupyter/bin/jupyter-lab --no-browser
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOU
systemctl daemon-reload
systemctl enable jupyter.service
# restart, not start: a re-run may have rewritten the config
systemctl restart jupyter.service

# Ready when the server answers HTTP on 8888 (any status below 500: a login page counts). The
# journal is not copied into this log: with token login Jupyter prints its URL with the token.
jupyter_deadline=$((SECONDS + $(disco_wait_cap 180)))
until jupyter_code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:8888/api) &&
  [ "$jupyter_code" -ge 200 ] && [ "$jupyter_code" -lt 500 ]; do
  if [ "$SECONDS" -ge "$jupyter_deadline" ]; then
    echo "jupyter: JupyterLab did not answer on port 8888 within 180 s (systemctl status jupyter; journalctl -u jupyter)" >&2
    false
  fi
  sleep 3
done
echo "jupyter: JupyterLab answers on port 8888"
