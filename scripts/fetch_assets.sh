#!/bin/sh
# Fill an assets folder (Leaflet, its plugins and folium's defaults) from the npm registry,
# to serve from an intranet web server. Maps do not need it: they inline the copies that
# ship with ecogis. Usage: scripts/fetch_assets.sh DIR
#   then: ecogis map --assets https://intranet.example/DIR …  (or --offline --assets DIR)
set -eu
if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
exec python -m ecogis assets fetch "$1"
