"""Every command and code block of README.md and docs/ that is meant to run, runs.

A fenced block with the info string ``bash``, ``sh``, ``shell`` or ``python`` is run. A block
that is not meant to run — a synopsis with placeholders, an install command, something that
needs a service the tests do not have — carries an HTML comment on the line just before its
fence, invisible on GitHub::

    <!-- not run: a synopsis; the blocks below run it -->

Blocks of one document run in order, in one folder of their own that holds a fresh copy of
the demo output (``ecogis-demo/``, as ``ecogis demo`` writes it) and ``../shared`` pointing to
the reference data, so the documents' commands run exactly as a reader types them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

RUN_LANGS = {"bash": "bash", "sh": "bash", "shell": "bash", "python": "python"}
KNOWN_LANGS = {*RUN_LANGS, "text", "console", "toml", "csv", "json", "html", "ini", ""}
NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<why>[^>]*?)\s*-->")
FENCE = re.compile(r"^(?P<indent> {0,3})```(?P<lang>[\w+-]*)\s*$")


def documents() -> list[Path]:
    """README.md, CONTRIBUTING.md, docs/*.md and maps/README.md."""
    docs = [REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", REPO_ROOT / "maps/README.md"]
    return [*docs, *sorted((REPO_ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Block:
    """One fenced code block of a document."""

    doc: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    not_run: str | None  # the reason given, when the block is marked not to run

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(REPO_ROOT)}:{self.line}"


def blocks_of(doc: Path) -> list[Block]:
    """The fenced blocks of ``doc``, with the not-run marker of the line before each."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang = i, m.group("lang").lower()
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i])
            i += 1
        prev = lines[start - 1] if start > 0 else ""
        marker = NOT_RUN.search(prev)
        out.append(
            Block(doc, start + 1, lang, "\n".join(body) + "\n", marker["why"] if marker else None)
        )
        i += 1
    return out


def test_every_block_has_a_known_language_and_a_reason_when_not_run() -> None:
    """A fence names its language; a not-run marker gives a reason; markers sit on runnable
    blocks only (a marker before a text block would hide nothing)."""
    problems = []
    for doc in documents():
        for b in blocks_of(doc):
            if b.lang not in KNOWN_LANGS:
                problems.append(f"{b.where}: unknown fence language {b.lang!r}")
            if b.not_run is not None and not b.not_run:
                problems.append(f"{b.where}: 'not run' without a reason")
            if b.not_run is not None and b.lang not in RUN_LANGS:
                problems.append(f"{b.where}: 'not run' marker on a {b.lang or 'plain'} block")
    assert not problems, "\n".join(problems)


def test_the_documents_have_blocks_that_run() -> None:
    """The harness finds runnable blocks (guards against a parser that finds none)."""
    runnable = [b for d in documents() for b in blocks_of(d) if b.lang in RUN_LANGS]
    assert len([b for b in runnable if b.not_run is None]) >= 10


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``ecogis-demo/`` as ``ecogis demo`` writes it (run once, copied per doc)."""
    folder = tmp_path_factory.mktemp("docs-demo")
    run = subprocess.run(
        [_ecogis(), "demo"], cwd=folder, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / "ecogis-demo"


def _ecogis() -> str:
    exe = Path(sys.executable).parent / "ecogis"
    return str(exe) if exe.exists() else "ecogis"


def _doc_id(doc: Path) -> str:
    return str(doc.relative_to(REPO_ROOT))


@pytest.mark.slow
@pytest.mark.parametrize("doc", documents(), ids=_doc_id)
def test_document_blocks_run(
    doc: Path, demo_output: Path, tmp_path: Path, shared_data: Path
) -> None:
    """Each runnable block of ``doc`` runs, in order, on a fresh copy of the demo output."""
    todo = [b for b in blocks_of(doc) if b.lang in RUN_LANGS and b.not_run is None]
    if not todo:
        pytest.skip(f"{_doc_id(doc)} has no block meant to run")
    cwd = tmp_path / "work"
    cwd.mkdir()
    shutil.copytree(demo_output, cwd / "ecogis-demo")
    (tmp_path / "shared").symlink_to(shared_data.resolve().parent, target_is_directory=True)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("ECOGIS_WORKSPACE", None)
    for b in todo:
        if RUN_LANGS[b.lang] == "bash":
            cmd = ["bash", "-e", "-o", "pipefail", "-c", b.code]
        else:
            cmd = [sys.executable, "-c", b.code]
        run = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, (
            f"{b.where} ({b.lang}) failed with exit {run.returncode}:\n{b.code}\n"
            f"--- stdout\n{run.stdout[-2000:]}\n--- stderr\n{run.stderr[-3000:]}"
        )
