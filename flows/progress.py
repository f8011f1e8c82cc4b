"""Progress of a refresh, for whoever is watching in this process.

The flow calls :func:`report` as sources are fetched and documents extracted; the CLI
listens (``with watching(listener)``) and draws progress bars. A scheduled or remote
run has no listener, and reporting costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["report", "watching"]

Listener = Callable[[str, int, int], None]
_listeners: list[Listener] = []


@contextmanager
def watching(listener: Listener) -> Iterator[None]:
    """Send progress reports to ``listener(stage, done, total)`` within the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def report(stage: str, done: int, total: int) -> None:
    for listener in _listeners:
        listener(stage, done, total)
