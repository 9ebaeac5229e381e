#!/bin/bash
# bootstrap, every node, after every framework: the user's post-init script, run as root.
# It is written to a root-only file and run by its own bash (never eval'd in the node
# script); its output goes to the log and a non-zero exit fails this section.
# DISCO_BOOTSTRAP_POST_INIT comes from the node script's environment.
# shellcheck disable=SC2154

if [ -n "${DISCO_BOOTSTRAP_POST_INIT:-}" ]; then
  # /var/lib/disco stays traversable (disco keeps its data below it); the script is root-only
  [ -d /var/lib/disco ] || install -d -m 0755 /var/lib/disco
  (
    umask 077
    printf '%s\n' "$DISCO_BOOTSTRAP_POST_INIT" >/var/lib/disco/post-init.sh
  )
  chown root:root /var/lib/disco/post-init.sh
  chmod 0700 /var/lib/disco/post-init.sh
  echo "bootstrap: running the post-init script"
  # cd /: the user's script must not depend on where the node script happened to be
  (cd / && bash /var/lib/disco/post-init.sh) ||
    { echo "bootstrap: the post-init script (/var/lib/disco/post-init.sh) exited $?" >&2; false; }
  echo "bootstrap: the post-init script succeeded"
fi
