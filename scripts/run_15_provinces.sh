#!/usr/bin/env bash
# The 15-province action-plan run on the real reference data, reproducibly.
#
#   bash scripts/run_15_provinces.sh [SHARED_DATA_DIR] [OUT_DIR]
#
# Builds one national workspace from the real boundaries, the Prachin Buri DIW registry
# extract and the Nakhon Pathom landmarks, runs the proximity-risk analysis, and writes a
# report for each of the 15 target provinces plus an index page. Provinces without factory
# or community data say so in their report (and say what to import).
set -euo pipefail
data="${1:-../shared/data}"
out="${2:-out/15-provinces}"
ws="$out/thailand.gpkg"
mkdir -p "$out"
rm -f "$ws"

ecogis import provinces "$data/thailand/th_provinces_opengisdata.geojson" -w "$ws"
ecogis import districts "$data/thailand/th_districts_opengisdata.geojson" -w "$ws"
ecogis import factories "$data/thailand/diw_factories_prachinburi_raw.geojson" -w "$ws"
ecogis import communities "$data/thailand/nakhonpathom_landmarks_wgs84.geojson" -w "$ws"
ecogis risk -w "$ws"
ecogis report --all -w "$ws" --out-dir "$out"
ecogis qgis project -w "$ws" --out "$out/thailand.qgz"
echo "open $out/index.html"
