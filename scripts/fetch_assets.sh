#!/bin/sh
# Fill an assets folder for offline/intranet web maps from the npm registry.
# Usage: scripts/fetch_assets.sh DIR   (then: ecogis map --assets DIR … or --offline --assets DIR)
set -eu
if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
exec python -m ecogis assets fetch "$1"
