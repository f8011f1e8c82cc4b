"""A refresh's per-source fetch: versions, archive, state, stale fallback, web archive, discovery."""

from __future__ import annotations

import sqlite3

import pytest

from docbrief.archive import Archive
from docbrief.discovery import discover_sources, links_matching
from docbrief.errors import FetchError
from docbrief.fetch import check_content, fetch_version
from docbrief.http import HttpSettings, PoliteClient
from docbrief.sources import Source
from docbrief.state import MIGRATIONS, State
from tests.httpserver import Reply, ScriptedServer

PAGE = b"<html><body><h2>2 Japan-U.S. Security Arrangements</h2><p>Version one.</p></body></html>"
PAGE2 = PAGE.replace(b"one", b"two")


@pytest.fixture
def env(tmp_path):
    with ScriptedServer() as server, State(tmp_path / "state.sqlite") as state, \
            PoliteClient(HttpSettings(min_interval=0, retries=1, backoff=0.01)) as client:
        yield server, state, Archive(tmp_path / "archive"), client


def fetch(env, source, **kwargs):
    server, state, archive, client = env
    return fetch_version(source, source.url, client=client, state=state, archive=archive, **kwargs)


def test_changed_then_304_unchanged_then_changed_again(env):
    server, state, archive, _ = env
    url = server.route("/p.html", Reply(body=PAGE, etag='"1"'))
    first = fetch(env, Source(url=url))
    assert first.outcome == "changed" and archive.read(first.sha256) == PAGE
    second = fetch(env, Source(url=url))
    assert second.outcome == "unchanged" and second.sha256 == first.sha256
    assert server.hits("/p.html")[-1]["If-None-Match"] == '"1"'
    assert second.first_seen == first.first_seen  # records keep the time the version was first seen
    server.route("/p.html", Reply(body=PAGE2, etag='"2"'))
    third = fetch(env, Source(url=url))
    assert third.outcome == "changed" and third.sha256 != first.sha256
    assert [v.sha256 for v in state.versions(url)] == [first.sha256, third.sha256]
    assert [row["outcome"] for row in state.fetches(url)] == ["changed", "unchanged", "changed"]


def test_same_body_without_validators_is_unchanged(env):
    server, *_ = env
    url = server.route("/p.html", Reply(body=PAGE))
    assert fetch(env, Source(url=url)).outcome == "changed"
    assert fetch(env, Source(url=url)).outcome == "unchanged"


@pytest.mark.parametrize("reply", [Reply(status=404), Reply(status=503), Reply(body=b"<html>Maintenance</html>")])
def test_failure_after_success_is_stale_with_the_last_good_version(env, reply):
    server, state, archive, _ = env
    url = server.route("/doj.pdf", Reply(body=b"%PDF-1.4 first version"))
    good = fetch(env, Source(url=url))
    server.route("/doj.pdf", reply)
    stale = fetch(env, Source(url=url))
    assert stale.outcome == "stale" and stale.sha256 == good.sha256 and stale.error
    assert archive.read(good.sha256) == b"%PDF-1.4 first version"
    assert state.fetches(url)[-1]["outcome"] == "failed"


def test_failure_with_no_previous_version(env):
    server, *_ = env
    version = fetch(env, Source(url=server.url("/never")))
    assert version.outcome == "failed" and "HTTP 404" in version.error and version.sha256 is None


def test_a_pdf_source_answering_html_is_an_error_not_a_document():
    with pytest.raises(FetchError, match="expected a PDF but got text/html"):
        check_content(b"<!DOCTYPE html><html><body>Please log in</body></html>", expected="pdf", url="x.pdf")
    assert check_content(b"%PDF-1.7 ...", expected="pdf", url="x.pdf") == "application/pdf"


def test_archive_never_overwrites(tmp_path):
    archive = Archive(tmp_path)
    sha, path = archive.store(PAGE, "text/html")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert archive.store(PAGE, "text/html") == (sha, path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert path.name == f"{sha}.html" and path.parent.name == sha[:2]


def test_web_archive_copy_stands_in_when_the_site_refuses(env):
    server, state, *_ = env
    url = server.route("/bluebook/2023/c030102.html", Reply(status=403))
    server.route(f"/wayback/2id_/{url}", Reply(body=PAGE))
    version = fetch(env, Source(url=url, fallback="wayback"), wayback=server.url("/wayback"))
    assert version.outcome == "changed"
    assert version.retrieved_from == server.url(f"/wayback/2id_/{url}")
    assert state.versions(url)[0].via == version.retrieved_from


def test_state_migrates_an_old_database(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO versions VALUES ('u', 'abc', '2024-01-01T00:00:00+00:00', "
               "'2024-01-01T00:00:00+00:00', 'text/html', 3, NULL, NULL)")
    db.commit()
    db.close()
    with State(path) as state:
        assert state.schema_version == len(MIGRATIONS)
        assert state.versions("u")[0].sha256 == "abc" and state.versions("u")[0].via is None


def test_discovery_finds_section_pages_and_remembers_them(env):
    server, state, _, client = env
    index = server.route("/bluebook/2023/index.html", Reply(body=(
        b'<html><body><a href="chapter3/c030101.html">1</a> <a href="chapter3/c030102.html#top">2</a>'
        b' <a href="chapter3/c030102.html">again</a> <a href="/other.html">other</a></body></html>')))
    source = Source(url=index, pattern=r"chapter3/c0301\d\d\.html$", publication="bluebook")
    pages, error = discover_sources(source, client=client, state=state)
    assert error is None
    assert [p.url for p in pages] == [server.url("/bluebook/2023/chapter3/c030101.html"),
                                      server.url("/bluebook/2023/chapter3/c030102.html")]
    assert all(p.publication == "bluebook" and p.pattern is None for p in pages)
    server.route("/bluebook/2023/index.html", Reply(status=500))
    again, error = discover_sources(source, client=client, state=state)
    assert [p.url for p in again] == [p.url for p in pages] and "HTTP 500" in error


def test_links_matching_new_editions():
    html = b'<a href="/policy/other/bluebook/2026/en_html/index.html">2026</a><a href="2025/index.html">x</a>'
    links = links_matching(html, base_url="https://www.mofa.go.jp/policy/other/bluebook/index.html",
                           pattern=r"/bluebook/20\d\d/en_html/index\.html$")
    assert links == ["https://www.mofa.go.jp/policy/other/bluebook/2026/en_html/index.html"]


def test_discovery_follows_links_hop_by_hop_to_new_editions(env):
    server, state, _, client = env
    top = server.route("/bluebook/index.html", Reply(body=(
        b'<a href="2024/en_html/index.html">2024</a> <a href="2026/en_html/index.html">2026</a>')))
    for year in (2024, 2026):
        server.route(f"/bluebook/{year}/en_html/index.html", Reply(body=(
            b'<a href="chapter3/c030101.html">s1</a> <a href="chapter3/c030102.html">s2</a>')))
    source = Source(url=top, pattern=[r"/bluebook/20\d\d/en_html/index\.html$", r"chapter3/c030102\.html$"])
    pages, error = discover_sources(source, client=client, state=state)
    assert error is None
    assert [p.url for p in pages] == [server.url(f"/bluebook/{y}/en_html/chapter3/c030102.html") for y in (2024, 2026)]
    empty = server.route("/empty/index.html", Reply(body=b'<a href="x.html">x</a>'))
    nothing, error = discover_sources(Source(url=empty, pattern=r"nomatch$"), client=client, state=state)
    assert nothing == [] and "no link matches 'nomatch$'" in error
