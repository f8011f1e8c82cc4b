"""The committed fixtures are exactly what the committed script makes from the seeds and gold."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.fixtures import make_fixtures


def test_script_reproduces_committed_fixtures(tmp_path, capsys):
    make_fixtures.main(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 8
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), f"{relative} is stale"
