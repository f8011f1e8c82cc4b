"""One refresh at a time per output folder.

A refresh holds an exclusive lock on ``OUT/.refresh.lock`` (``flock``, released by the
kernel if the process dies, so a crash never leaves a stale lock). A second refresh on
the same folder waits up to ``wait`` seconds, then stops with a message naming the
holder, and never interleaves its writes with the first one's.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from docbrief.errors import BusyError

__all__ = ["RefreshLock"]


class RefreshLock:
    def __init__(self, out_dir: Path, *, wait: float = 0.0, poll: float = 0.2) -> None:
        self.path = Path(out_dir) / ".refresh.lock"
        self.wait = wait
        self.poll = poll
        self._handle = None

    def __enter__(self) -> RefreshLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held until __exit__
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise BusyError(
                        f"another refresh is running on this folder ({holder}); try again later or pass --wait",
                        path=str(self.path.parent),
                    ) from None
                time.sleep(self.poll)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
