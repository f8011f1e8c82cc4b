"""What every refresh saw: an embedded SQLite database (default ``OUT/state.sqlite``).

Tables: ``sources`` (each URL ever configured), ``fetches`` (every request: time, status,
outcome, ETag, Last-Modified, sha256, bytes, content type, error, and whether a web
archive copy stood in), ``versions`` (each distinct body of a URL, with when it was
first and last seen) and ``runs``. The schema is versioned with SQLite's
``user_version`` and migrated forward on open, one transaction per step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docbrief.errors import OutputError

__all__ = ["MIGRATIONS", "State", "Version"]

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE sources (
        url TEXT PRIMARY KEY, name TEXT, publication TEXT, edition INTEGER,
        first_seen TEXT NOT NULL, last_seen TEXT NOT NULL
    );
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY, run_id TEXT, url TEXT NOT NULL, final_url TEXT, at TEXT NOT NULL,
        status INTEGER, outcome TEXT NOT NULL, etag TEXT, last_modified TEXT, sha256 TEXT,
        bytes INTEGER, content_type TEXT, error TEXT
    );
    CREATE INDEX fetches_by_url ON fetches (url, at);
    CREATE TABLE versions (
        url TEXT NOT NULL, sha256 TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
        content_type TEXT, bytes INTEGER, etag TEXT, last_modified TEXT,
        PRIMARY KEY (url, sha256)
    );
    CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, status TEXT,
        build_id TEXT, changed INTEGER, failed INTEGER, extracted INTEGER, published INTEGER
    );
    """,
    # 2: provenance of bodies that came from a web archive instead of the ministry
    """
    ALTER TABLE fetches ADD COLUMN via TEXT;
    ALTER TABLE versions ADD COLUMN via TEXT;
    """,
    # 3: pages found on index pages, so a failing index still yields its pages
    """
    CREATE TABLE discovered (
        index_url TEXT NOT NULL, url TEXT NOT NULL, position INTEGER NOT NULL, last_seen TEXT NOT NULL,
        PRIMARY KEY (index_url, url)
    );
    """,
)


@dataclass(frozen=True)
class Version:
    """One distinct body seen at a URL."""

    url: str
    sha256: str
    first_seen: datetime
    last_seen: datetime
    content_type: str | None
    bytes: int | None
    etag: str | None
    last_modified: str | None
    via: str | None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class State:
    """The state database; open it with ``State(path)`` (created and migrated as needed)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One refresh uses the database from Prefect's task threads, one task at a time.
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.migrate()
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open the state database: {exc}", path=str(self.path)) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        for number, script in enumerate(MIGRATIONS, start=1):
            if self.schema_version >= number:
                continue
            with self._transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # -- sources, fetches, versions ------------------------------------------------

    def record_source(self, url: str, *, name: str | None, publication: str | None, edition: int | None) -> None:
        now = _now()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO sources (url, name, publication, edition, first_seen, last_seen) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET name=excluded.name, publication=excluded.publication,"
                " edition=excluded.edition, last_seen=excluded.last_seen",
                (url, name, publication, edition, now, now),
            )

    def record_fetch(self, url: str, *, run_id: str | None, outcome: str, status: int | None = None,
                     final_url: str | None = None, etag: str | None = None, last_modified: str | None = None,
                     sha256: str | None = None, size: int | None = None, content_type: str | None = None,
                     error: str | None = None, via: str | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO fetches (run_id, url, final_url, at, status, outcome, etag, last_modified, sha256,"
                " bytes, content_type, error, via) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, url, final_url, _now(), status, outcome, etag, last_modified, sha256, size, content_type,
                 error, via),
            )

    def record_version(self, url: str, sha256: str, *, content_type: str | None, size: int,
                       etag: str | None = None, last_modified: str | None = None, via: str | None = None,
                       seen_at: datetime | None = None) -> Version:
        """Note that ``url`` served ``sha256``; return the version (with when it was first seen).

        ``seen_at`` replaces "now" as the first sighting of a new version: a local file's
        modification time, so its records are the same whichever state database reads it.
        """
        now = _now()
        first = seen_at.astimezone(UTC).replace(microsecond=0).isoformat() if seen_at else now
        with self._transaction() as db:
            db.execute(
                "INSERT INTO versions (url, sha256, first_seen, last_seen, content_type, bytes, etag, last_modified,"
                " via) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(url, sha256) DO UPDATE SET"
                " last_seen=excluded.last_seen, etag=excluded.etag, last_modified=excluded.last_modified",
                (url, sha256, first, now, content_type, size, etag, last_modified, via),
            )
        version = self.version(url, sha256)
        assert version is not None
        return version

    def touch_version(self, url: str, sha256: str) -> None:
        """A 304 or an identical body: the version was seen again."""
        with self._transaction() as db:
            db.execute("UPDATE versions SET last_seen=? WHERE url=? AND sha256=?", (_now(), url, sha256))

    @staticmethod
    def _version(row: sqlite3.Row) -> Version:
        return Version(
            url=row["url"], sha256=row["sha256"], first_seen=datetime.fromisoformat(row["first_seen"]),
            last_seen=datetime.fromisoformat(row["last_seen"]), content_type=row["content_type"],
            bytes=row["bytes"], etag=row["etag"], last_modified=row["last_modified"], via=row["via"],
        )

    def version(self, url: str, sha256: str) -> Version | None:
        row = self.db.execute("SELECT * FROM versions WHERE url=? AND sha256=?", (url, sha256)).fetchone()
        return self._version(row) if row else None

    def latest_version(self, url: str) -> Version | None:
        """The version the last successful fetch of ``url`` got (what a 304 refers to)."""
        row = self.db.execute(
            "SELECT sha256 FROM fetches WHERE url=? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1", (url,)
        ).fetchone()
        return self.version(url, row["sha256"]) if row else None

    def versions(self, url: str) -> list[Version]:
        rows = self.db.execute("SELECT * FROM versions WHERE url=? ORDER BY first_seen, rowid", (url,)).fetchall()
        return [self._version(row) for row in rows]

    def fetches(self, url: str) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM fetches WHERE url=? ORDER BY id", (url,)).fetchall()

    def remember_discovered(self, index_url: str, urls: list[str]) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM discovered WHERE index_url=?", (index_url,))
            db.executemany("INSERT INTO discovered (index_url, url, position, last_seen) VALUES (?,?,?,?)",
                           [(index_url, url, position, _now()) for position, url in enumerate(urls)])

    def discovered(self, index_url: str) -> list[str]:
        rows = self.db.execute("SELECT url FROM discovered WHERE index_url=? ORDER BY position", (index_url,))
        return [row["url"] for row in rows]

    # -- runs ----------------------------------------------------------------------

    def start_run(self, run_id: str, started_at: datetime) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO runs (run_id, started_at, status) VALUES (?,?,?)",
                       (run_id, started_at.isoformat(), "running"))

    def finish_run(self, run_id: str, *, status: str, build_id: str | None, changed: int, failed: int,
                   extracted: int, published: bool) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, status=?, build_id=?, changed=?, failed=?, extracted=?, published=?"
                " WHERE run_id=?",
                (_now(), status, build_id, changed, failed, extracted, int(published), run_id),
            )

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY started_at, run_id").fetchall()
