"""The committed fixtures are exactly what the committed scripts make from the seeds and gold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixtures import make_fixtures, make_pdf_fixtures


def assert_reproduces(script: Callable[[Path], None], scratch: Path, files: int) -> None:
    script(scratch)
    written = sorted(p.relative_to(scratch) for p in scratch.rglob("*") if p.is_file())
    assert len(written) == files
    for relative in written:
        assert (scratch / relative).read_bytes() == (ROOT / relative).read_bytes(), f"{relative} is stale"


def test_html_script_reproduces_committed_fixtures(tmp_path, capsys):
    assert_reproduces(make_fixtures.main, tmp_path, files=8)


@pytest.mark.skipif(not (make_pdf_fixtures.FONT_DIR / "DejaVuSans.ttf").exists(),
                    reason="DejaVu fonts (Debian fonts-dejavu-core) are needed to rebuild the PDF fixtures")
def test_pdf_script_reproduces_committed_pdf_fixtures(tmp_path, capsys):
    assert_reproduces(make_pdf_fixtures.main, tmp_path, files=7)
