"""One build at a time per warehouse.

A build holds `<file>.lock` beside its private build file and beside the published file. The
lock is an exclusive `flock` on that file, which also records the holder's pid and start time
for the message a second build gets. The kernel drops the lock when its process ends, however
it ends, so a lock left by a killed build is stale by construction: the next build takes it
over (and says so) without guessing from pids.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path


class LockedError(Exception):
    """Another build of the same warehouse is running."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _holder(path: Path) -> tuple[str, str]:
    try:
        fields = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    except OSError:
        fields = {}
    return fields.get("pid", "unknown"), fields.get("started", "an unknown time")


class BuildLock:
    """Exclusive locks on a set of files' lock paths; a context manager."""

    def __init__(self, *files: Path) -> None:
        self.paths = sorted({lock_path(f) for f in files})
        self.fds: list[tuple[Path, int]] = []
        self.taken_over: list[str] = []

    def acquire(self) -> BuildLock:
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        try:
            for path in self.paths:
                self._acquire_one(path, started)
        except BaseException:
            self.release()
            raise
        return self

    def _acquire_one(self, path: Path, started: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                pid, when = _holder(path)
                raise LockedError(
                    f"another build of this warehouse is running (pid {pid}, started at {when}); "
                    f"it holds {path}. Wait for it to finish, then build again. Nothing was "
                    "changed."
                ) from None
            # The file may have been removed by the holder that just released it: lock the
            # file that is at the path now, not an orphan.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            break
        previous = os.read(fd, 4096).decode("utf-8", "replace")
        if "pid=" in previous:
            pid, when = _holder(path)
            self.taken_over.append(
                f"a lock left by a build that is no longer running (pid {pid}, started at "
                f"{when}) was taken over: {path}"
            )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid={os.getpid()}\nstarted={started}\n".encode())
        os.fsync(fd)
        self.fds.append((path, fd))

    def release(self) -> None:
        while self.fds:
            path, fd = self.fds.pop()
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
            os.close(fd)

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()
