"""The JSON bundle: every record of a run as JSON Lines, with the record schema beside it.

    bundle/documents.jsonl   one Document per line
    bundle/sections.jsonl    one Section per line (with document_id)
    bundle/blocks.jsonl      one Block per line (with document_id and section_id)
    bundle/records.schema.json

Documents are written in id order, sections and blocks in reading order, so the
same records always give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from docbrief.records import ExtractedDocument, record_json_schema
from outputs.files import OutputFile, describe_file, json_bytes, write_bytes_atomic

__all__ = ["BUNDLE_FOLDER", "read_bundle_documents", "write_bundle"]

BUNDLE_FOLDER = "bundle"


def _jsonl(records: Sequence[object]) -> bytes:
    return b"".join(json_bytes(record.model_dump(mode="json"), indent=None) for record in records)


def write_bundle(documents: Sequence[ExtractedDocument], run_dir: Path) -> list[OutputFile]:
    """Write the bundle for ``documents`` into ``run_dir/bundle``; describe each file written."""
    ordered = sorted(documents, key=lambda doc: doc.document.id)
    folder = Path(run_dir) / BUNDLE_FOLDER
    contents = {
        "documents.jsonl": _jsonl([doc.document for doc in ordered]),
        "sections.jsonl": _jsonl([section for doc in ordered for section in doc.sections]),
        "blocks.jsonl": _jsonl([block for doc in ordered for block in doc.blocks]),
        "records.schema.json": json_bytes(record_json_schema()),
    }
    files = []
    for name, data in contents.items():
        write_bytes_atomic(folder / name, data)
        kind = "schema" if name.endswith("schema.json") else "records"
        files.append(describe_file(folder / name, root=Path(run_dir), kind=kind))
    return files


def read_bundle_documents(run_dir: Path) -> list[ExtractedDocument]:
    """Read a bundle back into documents (the inverse of :func:`write_bundle`)."""
    folder = Path(run_dir) / BUNDLE_FOLDER

    def rows(name: str) -> list[dict]:
        with open(folder / name, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    sections, blocks = rows("sections.jsonl"), rows("blocks.jsonl")
    return [
        ExtractedDocument.model_validate({
            "document": document,
            "sections": [s for s in sections if s["document_id"] == document["id"]],
            "blocks": [b for b in blocks if b["document_id"] == document["id"]],
        })
        for document in rows("documents.jsonl")
    ]
