"""The committed fixtures are exactly what the committed script makes from the seeds and gold."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.fixtures import make_fixtures, make_pdf_fixtures


def test_script_reproduces_committed_fixtures(tmp_path, capsys):
    make_fixtures.main(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 8
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), f"{relative} is stale"


@pytest.mark.skipif(not (make_pdf_fixtures.FONT_DIR / "DejaVuSans.ttf").exists(),
                    reason="DejaVu fonts (Debian fonts-dejavu-core) are needed to rebuild the PDF fixtures")
def test_pdf_script_reproduces_committed_pdf_fixtures(tmp_path, capsys):
    make_pdf_fixtures.main(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 7
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), f"{relative} is stale"
