#!/bin/bash
# The node script's artifact helpers, in its gzipped part (after the environment, before the
# frameworks' libs): see docs/frameworks.md. Definitions only.
# DISCO_ARTIFACTS, DISCO_MIRROR, DISCO_ROLE, DISCO_MASTER_IP come from the script's environment;
# disco_time_left from its header.
# shellcheck disable=SC2154
# Artifacts: DISCO_ARTIFACTS has a line "name path sha512 digest_of url" for each file the
# cluster's frameworks download (their manifests pin the SHA-512). The master downloads each
# once, from the mirror (DISCO_MIRROR/<path>) or else its upstream url, and keeps it in
# DISCO_ARTIFACT_DIR, which bootstrap's nginx serves to the workers on the cluster network
# (DISCO_ARTIFACT_PORT); a download it cannot use leaves <path>.failed there, saying why.
# Workers take the file from the master only. Every copy is checked: fail closed.
DISCO_ARTIFACT_DIR=${DISCO_ARTIFACT_DIR:-/var/lib/disco-artifacts}
DISCO_ARTIFACT_PORT=${DISCO_ARTIFACT_PORT:-8097}
DISCO_ARTIFACT_RETRIES=${DISCO_ARTIFACT_RETRIES:-5}
# disco_artifact_sum FILE DIGEST_OF: the SHA-512 the manifest pins (of the file, or gunzipped)
disco_artifact_sum() {
  if [ "$2" = gunzip ]; then gzip -dc <"$1"; else cat "$1"; fi | sha512sum | cut -d' ' -f1
}
# disco_url_shown URL: URL without the user:password@ a mirror's may hold (messages, logs)
disco_url_shown() { printf '%s' "$1" | sed -E 's#//[^/@]*@#//#'; }
# disco_artifact NAME DEST: the artifact NAME at DEST, its SHA-512 checked
disco_artifact() {
  local name=$1 dest=$2 path='' sha of url src cache got err waited=0 cap
  read -r path sha of url < <(printf '%s\n' "${DISCO_ARTIFACTS:-}" | awk -v n="$name" '$1 == n { print $2, $3, $4, $5; exit }') || true
  if [ -z "$path" ]; then echo "artifact $name: no framework of this cluster declares it" >&2; return 1; fi
  cache=$DISCO_ARTIFACT_DIR/$path
  if [ "$DISCO_ROLE" = master ]; then
    if [ ! -f "$cache" ] || [ "$(disco_artifact_sum "$cache" "$of")" != "$sha" ]; then
      src=${DISCO_MIRROR:+$DISCO_MIRROR/$path}
      src=${src:-$url}
      install -d -m 0755 "$(dirname "$cache")"
      rm -f "$cache" "$cache.failed"
      err=''
      # the URL on stdin (curl's config), not the command line: a mirror's may hold a password
      if ! err=$(printf 'url = "%s"\n' "$src" | curl -fsSL --retry "$DISCO_ARTIFACT_RETRIES" --retry-connrefused --retry-delay 3 \
          --connect-timeout 20 --max-time "$(disco_time_left 3600)" -o "$cache.part" -K - 2>&1); then
        err="artifact $name: cannot download $(disco_url_shown "$src"): ${err##*$'\n'}"
      else
        # a file that does not even gunzip gives some other sum: refused too
        got=$(disco_artifact_sum "$cache.part" "$of" || true)
        if [ "$got" = "$sha" ]; then
          mv -f "$cache.part" "$cache"
        else
          err="artifact $name refused: SHA-512 ${got:0:16}... of $(disco_url_shown "$src"), pinned ${sha:0:16}..."
        fi
      fi
      if [ -n "$err" ]; then
        rm -f "$cache.part"
        printf '%s\n' "$err" >"$cache.failed"
        echo "$err" >&2
        return 1
      fi
    fi
    ln -f "$cache" "$dest" 2>/dev/null || cp "$cache" "$dest"
    return 0
  fi
  src=http://$DISCO_MASTER_IP:$DISCO_ARTIFACT_PORT/$path
  cap=$(disco_time_left 1800)
  until curl -fsS --connect-timeout 10 --max-time "$(disco_time_left 3600)" -o "$dest.part" "$src" 2>/dev/null; do
    if err=$(curl -fsS --max-time 10 "$src.failed" 2>/dev/null); then
      echo "the master could not get it: $err" >&2
      rm -f "$dest.part"
      return 1
    fi
    if [ "$waited" -ge "$cap" ]; then
      echo "artifact $name: the master did not serve $path within $cap s" >&2
      rm -f "$dest.part"
      return 1
    fi
    sleep 3
    waited=$((waited + 3))
  done
  got=$(disco_artifact_sum "$dest.part" "$of" || true)
  if [ "$got" != "$sha" ]; then
    echo "artifact $name refused: SHA-512 ${got:0:16}... of $src, pinned ${sha:0:16}..." >&2
    rm -f "$dest.part"
    return 1
  fi
  mv -f "$dest.part" "$dest"
}
