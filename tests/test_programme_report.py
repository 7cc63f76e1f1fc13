"""The upgrade report (TOR 5.7) and the province report as PDF, read as a person would.

The PDF is opened with poppler (``pdftotext``, ``pdftoppm``, ``pdfinfo``) like a reader's
viewer: its pages are rendered and must carry ink, its text is extracted and must hold the
Thai headings and the figures, and a proper name must not be broken across lines.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DemoRun

from ecogis.cli import cli
from ecogis.report.pdf import html_to_pdf, keep_compounds
from ecogis.workspace import Workspace

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
HOSTILE = "บริษัท {{7*7}} {% if %} จำกัด"


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order (``pdftotext -raw``)."""
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squash(text: str) -> str:
    """Text compared as a reader sees it: NFKC (SARA AM = NIKHAHIT + SARA AA), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "595.276 x 841.89 pts (A4)" in out.stdout
    return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))  # type: ignore[union-attr]


def ink(png: Path) -> float:
    """Share of the page's pixels that are not white."""
    from PIL import Image

    im = Image.open(png).convert("L")
    hist = im.histogram()
    return 1 - sum(hist[250:]) / sum(hist)


@pytest.fixture(scope="module")
def assessed(demo_run: DemoRun) -> Path:
    """The demo workspace after every step (risk, symbiosis, ledger, both rounds; read-only)."""
    return demo_run.workspace


@pytest.fixture(scope="module")
def upgrade_pdf(demo_run: DemoRun) -> Path:
    """The upgrade report ``ecogis demo`` wrote, as a planner would open it."""
    out = demo_run.out_dir / "upgrade_report_DEMO-IE-01.pdf"
    assert out.exists(), "ecogis demo did not write the upgrade report"
    return out


def test_upgrade_report_cli_writes_the_pdf(assessed: Path, tmp_path: Path) -> None:
    out = tmp_path / "upgrade.pdf"
    res = CliRunner().invoke(
        cli, ["report", "upgrade", "-w", str(assessed), "--area", "DEMO-IE-01", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "upgrade report DEMO-IE-01 (PDF)" in res.output and pages(out) >= 6


def test_upgrade_pdf_pages_render_with_ink(upgrade_pdf: Path, tmp_path: Path) -> None:
    n = pages(upgrade_pdf)
    assert n >= 6
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(upgrade_pdf), str(tmp_path / "p")], check=True
    )
    shots = sorted(tmp_path.glob("p-*.png"))
    assert len(shots) == n
    assert all(ink(p) > 0.005 for p in shots)  # no blank page
    assert ink(shots[1]) > 0.05  # the summary page with the two maps


def test_upgrade_pdf_text_has_thai_headings_and_figures(upgrade_pdf: Path, assessed: Path) -> None:
    text = squash(pdf_text(upgrade_pdf))
    for heading in (
        "รายงานผลการยกระดับพื้นที่สู่เมืองอุตสาหกรรมเชิงนิเวศ",
        "สรุปผล",
        "พื้นที่ก่อนและหลังดำเนินการ",
        "ตัวชี้วัด:ก่อน→หลัง→เกณฑ์ระดับที่2",
        "ความก้าวหน้าตามขอบเขตงาน(TOR)",
        "ทะเบียนกิจกรรม",
        "ฐานข้อมูลโรงงานในพื้นที่",
        "ความก้าวหน้ารายโรงงาน",
        "การแลกเปลี่ยนของเสียที่เริ่มดำเนินการ",
        "แนวทางการพัฒนาในระยะต่อไป",
    ):
        assert squash(heading) in text, heading
    assert "ILLUSTRATIVE" in text and "PROVISIONAL" in text
    # the figures: consulting man-days 52.5 of 60, the ledger's workshop of 64 people
    assert "52.5" in text and "64" in text
    names = Workspace.open(assessed).read("factories")["name_th"]
    assert squash(str(names.iloc[0])) in text  # a factory of the database table


def test_a_name_the_word_breaker_splits_stays_on_one_line(tmp_path: Path) -> None:
    """กรมโรงงานอุตสาหกรรม in a narrow column: libthai (like Chromium's ICU) would break it
    into กรม | โรงงาน | อุตสาหกรรม; the report keeps it on one line."""
    word = "กรมโรงงานอุตสาหกรรม"
    text = f"หน่วยงาน{word}กำกับดูแลโรงงาน"

    from ecogis.report.render import stylesheet

    def page(body: str) -> str:  # the upgrade report's own stylesheet, a 22 mm column
        return (
            f"<html><head><style>{stylesheet('upgrade.css')} table{{width:auto}} td{{width:22mm}}"
            "</style></head>"
            f"<body lang='th'><table><tr><td>{body}</td><td>x</td></tr></table></body></html>"
        )

    kept = "".join(f'<span class="nobr">{p}</span>' if w else p for p, w in keep_compounds(text))
    plain, whole = tmp_path / "plain.pdf", tmp_path / "kept.pdf"
    plain.write_bytes(html_to_pdf(page(text)))
    whole.write_bytes(html_to_pdf(page(kept)))
    lines_plain = [squash(x) for x in pdf_text(plain).splitlines()]
    lines_kept = [squash(x) for x in pdf_text(whole).splitlines()]
    assert not any(word in x for x in lines_plain)  # the test can fail: unprotected, it breaks
    assert any(word in x for x in lines_kept), lines_kept
    assert "หน่วยงาน" in lines_kept  # and the words around it still break where they should


def test_upgrade_report_keeps_the_name_whole(upgrade_pdf: Path) -> None:
    lines = [squash(x) for x in pdf_text(upgrade_pdf).splitlines()]
    assert any("กรมโรงงานอุตสาหกรรม" in x for x in lines)
    assert not any(x.endswith("กรม") for x in lines)


def test_hostile_factory_name_is_text_in_html_and_pdf(assessed: Path, tmp_path: Path) -> None:
    path = tmp_path / "hostile.gpkg"
    shutil.copy(assessed, path)
    ws = Workspace.open(path)
    f = ws.read("factories")
    first = f["zone_id"] == "DEMO-IE-01"
    f.loc[first[first].index[0], "name_th"] = HOSTILE
    with ws.batch():
        ws.write("factories", f)
    for suffix in ("html", "pdf"):
        out = tmp_path / f"u.{suffix}"
        res = CliRunner().invoke(
            cli, ["report", "upgrade", "-w", str(path), "--area", "DEMO-IE-01", "--out", str(out)]
        )
        assert res.exit_code == 0, res.output
        text = out.read_text(encoding="utf-8") if suffix == "html" else pdf_text(out)
        if suffix == "html":
            assert "บริษัท {{7*7}} {% if %} จำกัด" in text.replace("&#39;", "'")
        else:
            assert squash("{{7*7}}{%if%}") in squash(text)
        assert ">49<" not in text and " 49 จำกัด" not in text


def test_english_report_and_bad_output_name(assessed: Path, tmp_path: Path) -> None:
    out = tmp_path / "upgrade_en.pdf"
    args = ["report", "upgrade", "-w", str(assessed), "--area", "DEMO-IE-01"]
    res = CliRunner().invoke(cli, [*args, "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    text = pdf_text(out)
    assert "Progress on the terms of reference" in text and "Guidelines for what remains" in text
    bad = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "u.docx")])
    assert bad.exit_code == 1 and "neither .pdf nor .html" in bad.output
    none = CliRunner().invoke(
        cli, ["report", "upgrade", "-w", str(assessed), "--area", "DEMO-IP-01", "--out", str(out)]
    )
    assert none.exit_code == 1 and "no assessment of area 'DEMO-IP-01'" in none.output


def test_province_report_pdf(assessed: Path, tmp_path: Path) -> None:
    out = tmp_path / "report_25.pdf"
    res = CliRunner().invoke(
        cli, ["report", "-w", str(assessed), "--province", "25", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert pages(out) >= 3
    text = squash(pdf_text(out))
    for heading in ("แผนที่จังหวัด", "ช่องว่างการปฏิบัติตามกฎหมายและมาตรฐาน", "ตัวชี้วัดเมืองอุตสาหกรรมเชิงนิเวศ"):
        assert squash(heading) in text, heading
    # chart labels are laid out by Pango (HTML spans), not torn apart by the SVG renderer
    assert squash("จำนวนโรงงานตามประเภทช่องว่าง") in text


# Latin words a Thai report may carry: ids, names of standards and programmes, units.
LATIN_OK = {"ILLUSTRATIVE", "PROVISIONAL", "ecogis", "DEMO", "CSR", "DIW", "ISO", "TOR", "ID"}
LATIN_OK |= {"MWh", "Manifest", "GI", "km", "N", "CR", "CO"}
IDS = r"DEMO-\S+|\b[A-Z]{3}\d{2}\b|\bCO-\d+-[0-9a-f]+"  # factory, indicator, activity ids


def test_thai_report_has_no_english_lines(upgrade_pdf: Path, assessed: Path) -> None:
    """Every line of the Thai report is Thai: TOR details, database lacks, per-factory
    progress, exchanges, guidelines; English only under ``--lang en``."""
    from ecogis.tasks.programme import run_programme

    layout = subprocess.run(
        ["pdftotext", "-layout", str(upgrade_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = squash(layout)
    progress = run_programme(Workspace.open(assessed), area="DEMO-IE-01").progress
    for th, en in zip(progress["detail_th"], progress["detail_en"], strict=True):
        if th != en:  # a detail that is data (a report's reference) reads the same in both
            assert squash(en) not in text, en
            assert squash(th) in text, th
    english = [
        line.strip()
        for line in layout.splitlines()
        if set(re.findall(r"[A-Za-z]+", re.sub(IDS, "", line))) - LATIN_OK
    ]
    assert not english, english[:5]


def test_a_started_exchange_is_listed_as_started_and_not_proposed(
    assessed: Path, tmp_path: Path
) -> None:
    """Start the exchange the guidelines rank first: the report moves it to "started"."""
    from ecogis.report.upgrade import upgrade_context
    from ecogis.tasks.programme import upgrade_inputs

    path = tmp_path / "started.gpkg"
    shutil.copy(assessed, path)
    ws = Workspace.open(path)
    before = upgrade_context(upgrade_inputs(ws, area="DEMO-IE-01"))  # type: ignore[arg-type]
    guide = ws.read("eit_guidelines")
    first = guide[(guide["area_id"] == "DEMO-IE-01") & (guide["action"] == "start_exchange")]
    provider, receiver = str(first.sort_values("rank")["target_id"].iloc[0]).split("→")
    links = ws.read("symbiosis_links")
    link = links[(links["provider_id"] == provider) & (links["receiver_id"] == receiver)]
    fid, flow_id = str(link["stream_id"].iloc[0]).rsplit("/", 1)
    flows = ws.read("material_flows")
    mine = (flows["factory_id"] == fid) & (flows["flow_id"] == flow_id)
    assert mine.sum() == 1
    with ws.batch():  # the provider's re-imported mass balance: the stream now exchanged
        ws.upsert("material_flows", flows[mine].assign(disposal_code="021"))
    after = upgrade_context(upgrade_inputs(ws, area="DEMO-IE-01"))  # type: ignore[arg-type]
    pairs = {(r["provider"], r["receiver"]) for r in after["exchanges"]}
    assert (provider, receiver) in pairs
    assert len(after["exchanges"]) == len(before["exchanges"]) + 1
    proposed = [g["detail"] for g in after["guidelines"]]
    assert not any(provider in d and receiver in d for d in proposed), proposed
    for ex in after["exchanges"]:  # no started exchange is proposed (another stream may be)
        what = f"แลกเปลี่ยน{ex['material']} "
        route = f"จาก {ex['provider']} ไปยัง {ex['receiver']}"
        assert not any(what in d and route in d for d in proposed), ex
