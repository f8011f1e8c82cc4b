"""Benchmark: write the workbook and the data package for many blocks.

    python bench/bench_outputs.py [--blocks 100000]

Each writer runs in a fresh process so its peak memory is its own. Prints, for each:
seconds; the process's peak resident memory, of which "records MB" is the records it
was given; and the writer's own heap peak (Python allocations while writing, measured
with tracemalloc in a second, untimed run). Targets (issue 5): workbook under 30 s and
under 150 MB for 100,000 blocks.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCE = ("Japan and the U.S. concurred to strengthen the deterrence and response capabilities of the Alliance, "
            "including approximately 9,000 U.S. Marine Corps personnel and 211 billion yen in host nation support. ")
JAPANESE = "日米同盟の抑止力・対処力を一層強化していくことで一致した。"


def synthetic_documents(blocks: int):
    """Documents of 5,000 blocks each: headings every 20 blocks, paragraphs of ~450 characters."""
    from docbrief.runs import SourceResult
    from tests.factories import document_with_texts

    documents, sources = [], []
    per_document = 5_000
    for index in range(max(1, blocks // per_document)):
        texts = [f"{SENTENCE * 2}{JAPANESE} ({index}-{n})" for n in range(per_document - 1)]
        document = document_with_texts(texts, edition=1990 + index)
        documents.append(document)
        sources.append(SourceResult(name=document.document.id, url=document.document.source_url, status="ok",
                                    document_id=document.document.id, sha256=document.document.sha256,
                                    blocks=len(document.blocks)))
    return documents, sources


def measure(writer: str, blocks: int, trace: bool) -> dict:
    """Run in this process: build records, then time one writer (or trace its allocations)."""
    from docbrief.runs import describe_build
    from outputs.bundle import write_bundle
    from outputs.workbook import write_workbook

    documents, sources = synthetic_documents(blocks)
    build = describe_build(documents, sources)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        if writer == "workbook":
            write_workbook(documents, Path(folder) / "book.xlsx", build=build)
            size = (Path(folder) / "book.xlsx").stat().st_size
        else:
            files = write_bundle(documents, Path(folder), build=build)
            size = sum(f.bytes for f in files)
        seconds = time.perf_counter() - start
    heap = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"writer": writer, "blocks": sum(len(d.blocks) for d in documents), "seconds": round(seconds, 2),
            "peak_mb": round(peak, 1), "records_mb": round(before, 1), "heap_mb": round(heap, 1),
            "output_mb": round(size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=100_000)
    parser.add_argument("--one", choices=["workbook", "bundle"], help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.blocks, args.trace)))
        return

    def run(writer: str, *extra: str) -> dict:
        command = [sys.executable, __file__, "--one", writer, "--blocks", str(args.blocks), *extra]
        return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

    print(f"{'writer':<10}{'blocks':>9}{'seconds':>9}{'peak MB':>9}{'records MB':>12}{'writer heap MB':>16}"
          f"{'output MB':>11}")
    for writer in ("workbook", "bundle"):
        r, traced = run(writer), run(writer, "--trace")
        print(f"{r['writer']:<10}{r['blocks']:>9,}{r['seconds']:>9}{r['peak_mb']:>9}{r['records_mb']:>12}"
              f"{traced['heap_mb']:>16}{r['output_mb']:>11}")


if __name__ == "__main__":
    main()
