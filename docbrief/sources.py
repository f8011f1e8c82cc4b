r"""Source lists: which documents a refresh reads, from a TOML file.

    [settings]
    out = "out"                     # output folder, relative to the current directory

    [[sources]]
    url = "https://www.mofa.go.jp/policy/other/bluebook/2023/en_html/chapter3/c030102.html"
    publication = "bluebook"        # optional: inferred from the address and content
    edition = 2023                  # optional: likewise
    name = "Bluebook 2023 Ch.3 s.2" # optional label for logs and summaries

    format = "html"                 # optional: html | pdf — what the address must serve
    robots = true                   # optional: honour robots.txt (default true)
    fallback = "wayback"            # optional: a web-archive copy when the site refuses
    pattern = 'chapter3/c0301\d\d\.html$'  # optional: url is an index page; follow matching links

    [http]                          # optional: the HTTP client (docbrief.http.HttpSettings)
    user_agent = "docbrief/0.1 (+contact)"
    min_interval = 2.0              # seconds between requests to one host

A ``url`` may be an http(s) address or a file path; relative paths are resolved
against the folder of the TOML file. Every value is checked when the file is loaded,
and a mistake is reported with the file and the key that holds it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docbrief.errors import ConfigError
from docbrief.http import HttpSettings

__all__ = ["Config", "Settings", "Source", "load_config"]

PUBLICATIONS = ("bluebook", "white_paper")


@dataclass(frozen=True)
class Source:
    """One document to fetch and extract."""

    url: str
    publication: str | None = None
    edition: int | None = None
    name: str | None = None
    format: str | None = None  # "html" | "pdf": what the address must serve
    robots: bool = True  # honour the site's robots.txt
    fallback: str | None = None  # "wayback": use a web-archive copy when the site refuses
    pattern: str | list[str] | None = None  # url is an index page: regex(es) for the links to follow

    def __post_init__(self) -> None:
        if not isinstance(self.url, str) or not self.url.strip():
            raise ValueError("url: must be a non-empty string")
        scheme = urlsplit(self.url).scheme.lower()
        if "://" in self.url and scheme not in ("http", "https"):
            raise ValueError(f"url: scheme {scheme!r} is not supported (use http, https or a file path)")
        if self.publication is not None and self.publication not in PUBLICATIONS:
            raise ValueError(f"publication: {self.publication!r} is not one of {', '.join(PUBLICATIONS)}")
        if self.edition is not None and (
            not isinstance(self.edition, int) or isinstance(self.edition, bool) or not 1950 <= self.edition <= 2100
        ):
            raise ValueError(f"edition: {self.edition!r} is not a year between 1950 and 2100")
        if self.name is not None and not isinstance(self.name, str):
            raise ValueError(f"name: {self.name!r} is not a string")
        if self.format not in (None, "html", "pdf"):
            raise ValueError(f"format: {self.format!r} is not 'html' or 'pdf'")
        if not isinstance(self.robots, bool):
            raise ValueError(f"robots: {self.robots!r} is not true or false")
        if self.fallback not in (None, "wayback"):
            raise ValueError(f"fallback: {self.fallback!r} is not 'wayback'")
        if self.pattern is not None:
            patterns = [self.pattern] if isinstance(self.pattern, str) else self.pattern
            if not isinstance(patterns, list) or not patterns:
                raise ValueError(f"pattern: {self.pattern!r} is not a regular expression or a list of them")
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as exc:
                    raise ValueError(f"pattern: {pattern!r} is not a regular expression ({exc})") from exc

    @property
    def is_remote(self) -> bool:
        return urlsplit(self.url).scheme.lower() in ("http", "https")

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class Settings:
    """Run-wide settings."""

    out: str = "out"
    state: str | None = None  # the state database; default OUT/state.sqlite
    archive: str | None = None  # the archive of fetched bodies; default OUT/archive
    wayback: str = "https://web.archive.org/web"  # where web-archive copies are asked for
    brief_template: str | None = None  # a .docx whose styles the briefs use
    schedule: str = "0 6 * * 1"  # cron: when `docbrief serve` refreshes (weekly, Monday 06:00)
    timezone: str = "Asia/Tokyo"

    def __post_init__(self) -> None:
        for name in ("out", "state", "archive", "wayback", "brief_template"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(f"{name}: {value!r} is not a path")
        if not isinstance(self.schedule, str) or len(self.schedule.split()) != 5:
            raise ValueError(f"schedule: {self.schedule!r} is not a cron expression of five fields")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"timezone: {self.timezone!r} is not a known time zone") from exc


@dataclass(frozen=True)
class Config:
    """A loaded source list."""

    path: str
    settings: Settings
    sources: tuple[Source, ...] = field(default_factory=tuple)
    http: HttpSettings = field(default_factory=HttpSettings)

    def location(self, source: Source) -> str:
        """Where to read ``source``: its URL, or its file path resolved next to the config file.

        Records keep ``source.url`` as written, so outputs do not depend on where the
        checkout lives.
        """
        if source.is_remote or Path(source.url).is_absolute():
            return source.url
        return str(Path(self.path).parent / source.url)

    def state_path(self, out_dir: Path) -> Path:
        return Path(self.settings.state) if self.settings.state else Path(out_dir) / "state.sqlite"

    def template_path(self) -> Path | None:
        """The brief template, resolved next to the config file."""
        if not self.settings.brief_template:
            return None
        return Path(self.path).parent / self.settings.brief_template

    def archive_path(self, out_dir: Path) -> Path:
        return Path(self.settings.archive) if self.settings.archive else Path(out_dir) / "archive"


def _build(cls: type, values: object, *, path: str, key: str):
    if not isinstance(values, dict):
        raise ConfigError("must be a table", path=path, key=key)
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r} (known keys: {', '.join(sorted(known))})", path=path, key=key
        )
    try:
        return cls(**values)
    except ValueError as exc:
        subkey, _, message = str(exc).partition(": ")
        raise ConfigError(message, path=path, key=f"{key}.{subkey}") from exc


def load_config(path: str | Path) -> Config:
    """Read and validate a source list."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("no such file", path=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from exc
    unknown = sorted(set(raw) - {"settings", "http", "sources"})
    if unknown:
        raise ConfigError(f"unknown section {unknown[0]!r} (expected [settings], [http] and [[sources]])",
                          path=str(path))
    settings = _build(Settings, raw.get("settings", {}), path=str(path), key="settings")
    http = _build(HttpSettings, raw.get("http", {}), path=str(path), key="http")
    entries = raw.get("sources", [])
    if not isinstance(entries, list) or not entries:
        raise ConfigError("no [[sources]] listed", path=str(path), key="sources")
    sources = []
    for index, entry in enumerate(entries):
        sources.append(_build(Source, entry, path=str(path), key=f"sources[{index}]"))
    return Config(path=str(path), settings=settings, sources=tuple(sources), http=http)
