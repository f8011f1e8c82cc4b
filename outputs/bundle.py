"""The JSON bundle: a Frictionless Data Package (v2) of every record in a run.

    bundle/datapackage.json     resources, Table Schemas (primary and foreign keys), sha256 hashes
    bundle/documents.jsonl      one Document per line
    bundle/sections.jsonl       one Section per line (document_id -> documents.id, parent_id -> sections.id)
    bundle/blocks.jsonl         one Block per line (document_id -> documents, section_id -> sections)
    bundle/changes.jsonl        one difference per line between consecutive editions (see outputs.changes)
    bundle/records.schema.json  the JSON Schema every record follows
    bundle.zip                  all of the above, for download

JSON Lines are UTF-8 with Japanese kept readable. Documents are written in id order,
sections and blocks in reading order, and the zip is stamped with the data's date, so
the same records always give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel

from docbrief.compare import Comparison
from docbrief.records import SCHEMA_VERSION, Block, Document, ExtractedDocument, Section, record_json_schema
from docbrief.runs import Build
from outputs.changes import CHANGE_COLUMNS, change_rows
from outputs.files import OutputFile, atomic_output, describe_file, json_bytes, write_bytes_atomic
from outputs.zips import FixedTimeZipFile

__all__ = ["BUNDLE_FOLDER", "BUNDLE_ZIP", "read_bundle_documents", "table_schema", "write_bundle"]

BUNDLE_FOLDER = "bundle"
BUNDLE_ZIP = "bundle.zip"
_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
               "array": "array", "object": "object"}
_FOREIGN_KEYS = {
    "documents": [],
    "sections": [("document_id", "documents"), ("parent_id", "sections")],
    "blocks": [("document_id", "documents"), ("section_id", "sections")],
}
_MODELS: dict[str, type[BaseModel]] = {"documents": Document, "sections": Section, "blocks": Block}


def _field(name: str, spec: dict, required: bool) -> dict:
    """A Table Schema field from a property of the model's JSON Schema."""
    options = [o for o in spec.get("anyOf", [spec]) if o.get("type") != "null"]
    option = options[0] if options else {}
    if "$ref" in option:
        kind = "object"
    elif option.get("format") == "date-time":
        kind = "datetime"
    else:
        kind = _JSON_TYPES.get(option.get("type", "string"), "any")
    field: dict = {"name": name, "type": kind}
    if spec.get("description"):
        field["description"] = spec["description"]
    constraints = {}
    if required and len(options) == len(spec.get("anyOf", [spec])):
        constraints["required"] = True
    if "enum" in option:
        constraints["enum"] = option["enum"]
    if constraints:
        field["constraints"] = constraints
    return field


def _changes_schema() -> dict:
    text = {"similarity": "number"}
    fields = [{"name": name, "type": text.get(name, "string")} for name in CHANGE_COLUMNS]
    for field in fields[:4]:
        field["constraints"] = {"required": True}
    keys = [{"fields": [column], "reference": {"resource": "documents", "fields": ["id"]}}
            for column in ("old_document", "new_document")]
    return {"fields": fields, "missingValues": [], "foreignKeys": keys}


def table_schema(resource: str) -> dict:
    """The Table Schema of one resource, derived from the record model."""
    if resource == "changes":
        return _changes_schema()
    schema = _MODELS[resource].model_json_schema(mode="serialization")
    required = set(schema.get("required", []))
    fields = [_field(name, spec, name in required) for name, spec in schema["properties"].items()]
    keys = [
        {"fields": [column], "reference": {"resource": target, "fields": ["id"]}}
        for column, target in _FOREIGN_KEYS[resource]
    ]
    # JSON null is what marks a missing value; an empty string (the chapter's path "") is a value.
    schema = {"fields": fields, "missingValues": [], "primaryKey": ["id"]}
    return {**schema, **({"foreignKeys": keys} if keys else {})}


def _datapackage(build: Build, written: dict[str, OutputFile]) -> dict:
    resources = []
    for name in ("documents", "sections", "blocks", "changes"):
        described = written.get(f"{name}.jsonl")
        if described is None:
            continue
        resources.append({
            "name": name,
            "type": "table",
            "path": f"{name}.jsonl",
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "encoding": "utf-8",
            "bytes": described.bytes,
            "hash": f"sha256:{described.sha256}",
            "schema": table_schema(name),
        })
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "docbrief-bundle",
        "id": f"urn:docbrief:build:{build.build_id}",
        "title": "docbrief: Japan's security-policy publications as section-structured records",
        "version": SCHEMA_VERSION,
        "created": build.data_as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [{"name": "other-at", "title": "Source texts: see each document's publisher and URL"}],
        "resources": resources,
        "docbrief:schemaVersion": SCHEMA_VERSION,
        "docbrief:recordSchema": "records.schema.json",
    }


def _write_jsonl(path: Path, records: Iterable[BaseModel | dict], run_dir: Path) -> OutputFile:
    """Stream records to ``path`` (one JSON object per line), hashing as it goes."""
    digest, size = hashlib.sha256(), 0
    with atomic_output(path) as handle:
        for record in records:
            line = json_bytes(record if isinstance(record, dict) else record.model_dump(mode="json"), indent=None)
            handle.write(line)
            digest.update(line)
            size += len(line)
    return OutputFile(path=path.relative_to(run_dir).as_posix(), kind="records", bytes=size,
                      sha256=digest.hexdigest())


def write_bundle(documents: Sequence[ExtractedDocument], run_dir: Path, *, build: Build,
                 comparisons: Sequence[Comparison] = ()) -> list[OutputFile]:
    """Write the bundle for ``documents`` into ``run_dir``; describe each file written.

    Records are streamed to disk, so memory does not grow with the size of the bundle.
    """
    run_dir = Path(run_dir)
    ordered = sorted(documents, key=lambda doc: doc.document.id)
    folder = run_dir / BUNDLE_FOLDER
    streams: dict[str, Iterable[BaseModel]] = {
        "documents.jsonl": (doc.document for doc in ordered),
        "sections.jsonl": (section for doc in ordered for section in doc.sections),
        "blocks.jsonl": (block for doc in ordered for block in doc.blocks),
    }
    changes = [row for comparison in comparisons for row in change_rows(comparison)]
    if changes:  # a table needs rows: with no comparison there is no changes resource
        streams["changes.jsonl"] = changes
    written = {name: _write_jsonl(folder / name, records, run_dir) for name, records in streams.items()}
    write_bytes_atomic(folder / "records.schema.json", json_bytes(record_json_schema()))
    write_bytes_atomic(folder / "datapackage.json", json_bytes(_datapackage(build, written)))
    names = ["datapackage.json", *streams, "records.schema.json"]
    with atomic_output(run_dir / BUNDLE_ZIP) as handle, FixedTimeZipFile(handle, build.data_as_of) as archive:
        for name in names:
            archive.write(folder / name, f"{BUNDLE_FOLDER}/{name}")
    kinds = {"datapackage.json": "datapackage", "records.schema.json": "schema"}
    files = [written.get(name) or describe_file(folder / name, root=run_dir, kind=kinds[name]) for name in names]
    return [*files, describe_file(run_dir / BUNDLE_ZIP, root=run_dir, kind="bundle-zip")]


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
