"""National and regional maps (issue 12.2): ``ecogis map --province all`` or a list of codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import InputFileError
from ecogis.webmap.area import Area, parse_area
from ecogis.webmap.encode import read_document
from ecogis.workspace import Workspace


@pytest.fixture(scope="module")
def national_ws(
    tmp_path_factory: pytest.TempPathFactory, national_frames: dict[str, Any]
) -> Workspace:
    """A workspace with the 77 provinces and 3,000 of the synthetic factories."""
    ws = Workspace.create(tmp_path_factory.mktemp("national") / "national.gpkg")
    factories = national_frames["factories"].iloc[::46].copy()  # spread over the country
    with ws.batch():
        ws.write("provinces", national_frames["provinces"])
        ws.write("factories", factories)
    return ws


def _layers(path: Path) -> dict[str, dict[str, Any]]:
    doc = read_document(path.read_text(encoding="utf-8"))
    return {layer["id"]: layer for layer in doc["layers"]} | {"_doc": doc}


def test_area_option_words() -> None:
    assert parse_area(None) is None
    assert parse_area("all") == Area()
    assert parse_area("21, 25 21").codes == ("21", "25")
    assert parse_area("25").name("th") == "จังหวัดปราจีนบุรี (25)"
    assert parse_area("21,25").name("en") == "2 provinces: Rayong, Prachin Buri"
    with pytest.raises(InputFileError, match="not a Thai province code"):
        parse_area("21,99")


def test_national_map_of_the_whole_workspace(national_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "thailand.html"
    args = ["map", "-w", national_ws.location, "-r", "national", "-p", "all", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    layers = _layers(out)
    fac = layers["factories"]
    n = len(national_ws.read("factories"))
    assert fac["count"] == n and len(fac["points"]["lon"]) == n and fac["cluster"]
    # Coloured by hazard class by the one hazard rule, with the risk results' classes.
    assert fac["style"]["field"] == "hazard_class"
    assert {c["value"] for c in fac["style"]["classes"]} == {"high", "medium", "low"}
    assert set(fac["points"]["columns"]["hazard_class"]) <= {"high", "medium", "low"}
    # A province choropleth over all 77 provinces; search over every factory.
    ind = layers["indicator_factories_per_km2"]
    assert len(ind["geojson"]["features"]) == 77 and ind["show"]
    assert fac["search"] == ["name_th", "name_en", "factory_id"]
    assert layers["_doc"]["subtitle"] == "ทุกจังหวัด"


def test_regional_map_and_colour_by_compliance(national_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "east.html"
    args = [
        "map",
        "-w",
        national_ws.location,
        "-r",
        "national",
        "-p",
        "21,24,25",
        "--colour-by",
        "compliance",
        "--lang",
        "en",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    layers = _layers(out)
    fac = layers["factories"]
    codes = national_ws.read("factories")["pro_code"]
    assert fac["count"] == int(codes.isin(["21", "24", "25"]).sum()) > 0
    assert fac["style"]["field"] == "compliance_status"
    assert set(fac["points"]["columns"]["compliance_status"]) == {"unknown"}  # no records
    ind = layers["indicator_factories_per_km2"]
    assert {f["properties"]["pro_code"] for f in ind["geojson"]["features"]} == {"21", "24", "25"}
    assert layers["_doc"]["subtitle"].startswith("3 provinces: Rayong")


def test_a_bad_province_list_is_one_clear_line(national_ws: Workspace, tmp_path: Path) -> None:
    args = ["map", "-w", national_ws.location, "-p", "21,7x", "-o", str(tmp_path / "x.html")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "'7x' is not a Thai province code" in result.stderr
    assert not (tmp_path / "x.html").exists()
