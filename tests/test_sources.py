"""Source lists: a mistake names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from docbrief.errors import ConfigError
from docbrief.sources import load_config
from tests.conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_configs_load():
    sample = load_config(ROOT / "config" / "sample.toml")
    assert [s.edition for s in sample.sources] == [2021, 2023, 2025, 2014]
    assert all(Path(sample.location(s)).is_file() for s in sample.sources)
    real = load_config(ROOT / "config" / "sources.toml")
    listed = [s for s in real.sources if s.pattern is None]
    assert [s.edition for s in listed] == [2021, 2023, 2025]
    assert all(s.url.startswith("https://www.mofa.go.jp/policy/other/bluebook/") for s in listed)
    discovered = [s for s in real.sources if s.pattern is not None]
    assert {s.publication for s in discovered} == {"bluebook", "white_paper"}


@pytest.mark.parametrize("text, key, message", [
    ('[[sources]]\nurl = "a.html"\nedtion = 2023\n', "sources[0]", "unknown key 'edtion'"),
    ('[[sources]]\nurl = "a.html"\npublication = "bluebok"\n', "sources[0].publication", "not one of"),
    ('[[sources]]\nurl = "a.html"\nedition = "2023"\n', "sources[0].edition", "not a year"),
    ('[[sources]]\nurl = "ftp://example.org/a.html"\n', "sources[0].url", "not supported"),
    ('[[sources]]\nurl = ""\n', "sources[0].url", "non-empty"),
    ("[settings]\nout = 3\n[[sources]]\nurl = 'a.html'\n", "settings.out", "not a path"),
    ("[settings]\nschedule = 'weekly'\n[[sources]]\nurl = 'a.html'\n", "settings.schedule", "not a cron"),
    ("[settings]\ntimezone = 'Mars/Olympus'\n[[sources]]\nurl = 'a.html'\n", "settings.timezone", "not a known"),
    ("[http]\nretries = -1\n[[sources]]\nurl = 'a.html'\n", "http.retries", "zero or more"),
    ('[[sources]]\nurl = "a.pdf"\nformat = "docx"\n', "sources[0].format", "not 'html' or 'pdf'"),
    ('[[sources]]\nurl = "https://x.org/"\npattern = "(unclosed"\n', "sources[0].pattern", "not a regular"),
    ("[settings]\n", "sources", "no [[sources]]"),
])
def test_mistakes_name_file_and_key(tmp_path, text, key, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[sources]\nurl="))
    with pytest.raises(ConfigError, match="unknown section 'source'"):
        load_config(write(tmp_path, "[[source]]\nurl = 'a'\n"))


def test_relative_paths_resolve_next_to_the_config(tmp_path):
    config = load_config(write(tmp_path, "[[sources]]\nurl = 'pages/a.html'\n"))
    source = config.sources[0]
    assert source.url == "pages/a.html"
    assert config.location(source) == str(tmp_path / "pages" / "a.html")
