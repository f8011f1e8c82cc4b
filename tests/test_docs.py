"""The README documents every CLI command and the two set-up commands."""

from __future__ import annotations

import re

from flows.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_a_section_with_example_output():
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert names
    for name in names:
        assert f"### docbrief {name}" in README, f"README lacks a section for `docbrief {name}`"
        section = README.split(f"### docbrief {name}", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        assert re.search(rf"\$ docbrief {name}\b", section), f"README shows no example of `docbrief {name}`"


def test_two_setup_commands_are_the_makefile_targets():
    assert "$ make run" in README and "$ make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
