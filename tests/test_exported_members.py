"""The public surface is explicit and sorted (as httpx does)."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["docbrief", "docbrief.errors", "docbrief.records", "docbrief.text", "docbrief.sources", "docbrief.fetch",
           "extractors", "outputs.bundle", "outputs.files"]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_resolves(name):
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    for member in exported:
        assert hasattr(module, member), f"{name}.{member}"
