"""The download page: ``OUT/index.html``, and a read-only server for the output folder.

The page lists the latest workbook, briefs and bundle (size, sha256, data date, which
editions they cover) and the run history with each run's status. It is rewritten after
every refresh, unchanged ones included, so the history is always current. ``serve_outputs``
serves the folder on loopback for ``docbrief web``: GET and HEAD only, nothing outside it.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from outputs.files import write_bytes_atomic

__all__ = ["serve_outputs", "write_index"]

_KIND_ORDER = {"workbook": 0, "brief": 1, "bundle-zip": 2, "datapackage": 3, "records": 4, "schema": 5}
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1d2733; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #d5dbe1; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; } code { font-size: .8rem; color: #56606b; }
.ok { color: #1a7f37; } .stale, .unchanged { color: #9a6700; } .failed { color: #cf222e; }
"""


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


def write_index(out_dir: Path, runs: Sequence[dict]) -> Path:
    """(Re)write ``OUT/index.html`` from the latest manifest and the run history."""
    out_dir = Path(out_dir)
    esc = html.escape
    try:
        manifest = json.loads((out_dir / "latest" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>docbrief downloads</title>", f"<style>{_STYLE}</style></head><body>",
             "<h1>docbrief: Japan's security-policy publications as data and briefs</h1>"]
    if manifest is None:
        parts.append("<p>No run has been published yet.</p>")
    else:
        coverage = ", ".join(sorted({f"{s['name']}" for s in manifest["sources"] if s.get("document_id")}))
        parts += [
            f"<p>Latest build <code>{esc(manifest['build_id'])}</code>, data as of "
            f"{esc(manifest['data_as_of'][:16].replace('T', ' '))} UTC, status "
            f"<span class=\"{esc(manifest['status'])}\">{esc(manifest['status'])}</span>. "
            f"Covers: {esc(coverage)}.</p>",
            "<h2>Latest files</h2>",
            "<table><thead><tr><th>File</th><th>Kind</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>",
        ]
        files = sorted(manifest["files"], key=lambda f: (_KIND_ORDER.get(f["kind"], 9), f["path"]))
        for entry in files:
            href = "latest/" + "/".join(esc(part) for part in entry["path"].split("/"))
            parts.append(f'<tr><td><a href="{href}">{esc(entry["path"])}</a></td><td>{esc(entry["kind"])}</td>'
                         f"<td>{_size(entry['bytes'])}</td><td><code>{esc(entry['sha256'])}</code></td></tr>")
        parts.append("</tbody></table>")
    parts += ["<h2>Run history</h2>",
              "<table><thead><tr><th>Run</th><th>Started (UTC)</th><th>Status</th><th>Changed</th>"
              "<th>Extracted</th><th>Failed</th><th>Published</th></tr></thead><tbody>"]
    for run in reversed(runs):
        status = run["status"] or "running"
        parts.append(
            f"<tr><td><code>{esc(run['run_id'])}</code></td><td>{esc(run['started_at'][:19].replace('T', ' '))}"
            f"</td><td class=\"{esc(status)}\">{esc(status)}</td><td>{run['changed'] or 0}</td>"
            f"<td>{run['extracted'] or 0}</td><td>{run['failed'] or 0}</td>"
            f"<td>{'yes' if run['published'] else 'no'}</td></tr>")
    parts += ["</tbody></table>", "</body></html>", ""]
    path = out_dir / "index.html"
    write_bytes_atomic(path, "\n".join(parts).encode("utf-8"))
    return path


class _ReadOnlyHandler(SimpleHTTPRequestHandler):
    """GET and HEAD of files below the folder; the standard handler refuses other methods."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve_outputs(out_dir: Path, *, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``out_dir`` on loopback (call ``serve_forever`` or run it in a thread)."""
    handler = functools.partial(_ReadOnlyHandler, directory=str(Path(out_dir).resolve()))
    return ThreadingHTTPServer((host, port), handler)
