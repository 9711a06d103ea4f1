#!/usr/bin/env bash
# Fetch Leaflet from the npm registry into static/leaflet/ so the maps never load it from a CDN.
#
# Streamlit serves static/ at /app/static/... (server.enableStaticServing = true), and tsk/maps.py
# points folium at /app/static/leaflet/leaflet.js and leaflet.css. static/ is git-ignored.
#
# Idempotent: does nothing when the pinned version is already in place. The tarball's SHA-1 is
# checked against the value published by the registry for this exact version.
# Usage: scripts/fetch_leaflet.sh [target-dir]   (default: static/leaflet next to this script's repo)
set -euo pipefail

LEAFLET_VERSION="1.9.4"
LEAFLET_SHA1="23fae724e282fa25745aff82ca4d394748db7d8d"  # npm view leaflet@1.9.4 dist.shasum

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${1:-$ROOT/static/leaflet}"
STAMP="$TARGET/VERSION"

if [ -f "$TARGET/leaflet.js" ] && [ -f "$TARGET/leaflet.css" ] && [ -d "$TARGET/images" ] \
   && [ "$(cat "$STAMP" 2>/dev/null)" = "$LEAFLET_VERSION" ]; then
  echo "Leaflet $LEAFLET_VERSION finns redan i $TARGET."
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "Fel: programmet npm saknas, så Leaflet (kartbiblioteket) kan inte hämtas." >&2
  echo "Installera Node.js och npm (till exempel «apt-get install npm») och kör sedan $0 igen." >&2
  echo "Utan Leaflet i $TARGET visas inga kartor i appen." >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tsk-leaflet.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "Hämtar Leaflet $LEAFLET_VERSION från npm-registret …"
if ! (cd "$WORK" && npm pack "leaflet@$LEAFLET_VERSION" --silent >"$WORK/pack.out" 2>"$WORK/pack.err"); then
  echo "Fel: Leaflet $LEAFLET_VERSION kunde inte hämtas med «npm pack». Kontrollera nätverket och npm-inställningarna." >&2
  sed 's/^/  npm: /' "$WORK/pack.err" >&2 || true
  exit 1
fi
TARBALL="$WORK/$(tail -n 1 "$WORK/pack.out")"
if [ ! -f "$TARBALL" ]; then
  echo "Fel: «npm pack» gav ingen fil för Leaflet $LEAFLET_VERSION." >&2
  exit 1
fi

ACTUAL_SHA1="$(sha1sum "$TARBALL" | cut -d' ' -f1)"
if [ "$ACTUAL_SHA1" != "$LEAFLET_SHA1" ]; then
  echo "Fel: den hämtade Leaflet-filen har fel kontrollsumma ($ACTUAL_SHA1, väntat $LEAFLET_SHA1). Inget installerades." >&2
  exit 1
fi

mkdir -p "$WORK/x"
tar -xzf "$TARBALL" -C "$WORK/x" package/dist/leaflet.js package/dist/leaflet.css package/dist/images package/LICENSE
for f in leaflet.js leaflet.css images; do
  if [ ! -e "$WORK/x/package/dist/$f" ]; then
    echo "Fel: Leaflet-paketet saknar dist/$f." >&2
    exit 1
  fi
done

# Build next to the target and swap it in, so an interrupted run never leaves a half-filled folder.
mkdir -p "$(dirname "$TARGET")"
NEW="$TARGET.new.$$"
rm -rf "$NEW"
mkdir -p "$NEW"
cp "$WORK/x/package/dist/leaflet.js" "$WORK/x/package/dist/leaflet.css" "$NEW/"
cp -R "$WORK/x/package/dist/images" "$NEW/images"
cp "$WORK/x/package/LICENSE" "$NEW/LICENSE"
echo "$LEAFLET_VERSION" >"$NEW/VERSION"
rm -rf "$TARGET"
mv "$NEW" "$TARGET"
echo "Leaflet $LEAFLET_VERSION installerat i $TARGET."
