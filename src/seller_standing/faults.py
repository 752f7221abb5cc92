"""Machine faults (disk full, read-only folder, no permission) as one message: the path,
the error in words, and what to do about it."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from seller_standing.paths import Paths


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


# What to do about a machine fault, by errno; {setting} is the setting that moves the path.
_ADVICE = {
    errno.ENOSPC: "The disk is full: free some space there, or point {setting} at a disk with "
    "room (a build needs about three times the size of the landing files).",
    errno.EDQUOT: "Your disk quota is used up: free some space, or point {setting} at another "
    "disk.",
    errno.EROFS: "That folder is on a read-only file system: point {setting} at a folder you "
    "can write to.",
    errno.EACCES: "Your user lacks permission there: fix the permissions of that file or "
    "folder, or point {setting} at one you can use.",
    errno.EPERM: "The file or folder may not be changed (permissions or the immutable "
    "attribute): fix its permissions, or point {setting} at a folder you can write to.",
}

_PHRASES = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
    "Operation not permitted": errno.EPERM,
}


def setting_for(path: Path | None, paths: Paths) -> str:
    """The setting that decides where `path` is."""
    if path is not None:
        for file, setting in (
            (paths.build_db, "SELLER_STANDING_BUILD_DB"),
            (paths.published_db, "SELLER_STANDING_DB"),
        ):
            if path.parent == file.parent and path.name.lstrip(".").startswith(file.name):
                return setting
        candidates = [
            (paths.temp_dir, "SELLER_STANDING_TEMP_DIR"),
            (paths.docs_dir, "SELLER_STANDING_DOCS_DIR"),
            (paths.build_db, "SELLER_STANDING_BUILD_DB"),
            (paths.build_db.parent, "SELLER_STANDING_BUILD_DB"),
            (paths.published_db, "SELLER_STANDING_DB"),
            (paths.published_db.parent, "SELLER_STANDING_DB"),
            (paths.raw_dir, "SELLER_STANDING_RAW_DIR"),
        ]
        for folder, setting in candidates:
            if path == folder or folder in path.parents:
                return setting
    return "SELLER_STANDING_BUILD_DB / SELLER_STANDING_TEMP_DIR"


def machine_error(error: OSError, paths: Paths) -> BuildError:
    """A file-system failure as one message: path, errno in words, what to do."""
    # a copy names its source first and the file it was writing second
    target = error.filename2 or error.filename
    path = Path(target) if target else None
    name = errno.errorcode.get(error.errno or 0, "unknown error")
    words = error.strerror or os.strerror(error.errno or 0)
    advice = _ADVICE.get(error.errno or 0, "Check that the folder exists and can be written.")
    verb = "read" if path is not None and paths.raw_dir in path.parents else "write"
    return BuildError(
        f"Could not {verb} {path or 'a build file'}: {words} ({name}).\n"
        + advice.format(setting=setting_for(path, paths))
        + f"\nThe published warehouse {paths.published_db} was not changed by this build."
    )


def machine_hint(output: str, paths: Paths) -> str:
    """A line on top of dbt's own error when a machine fault caused it."""
    for phrase, code in _PHRASES.items():
        if phrase in output:
            match = re.search(r'["\']?(/[^"\'\s:]+)["\']?[^\n]*' + re.escape(phrase), output)
            path = Path(match[1]) if match else None
            return (
                f"Could not write {path or 'a build file'}: {phrase} "
                f"({errno.errorcode[code]}).\n"
                + _ADVICE[code].format(setting=setting_for(path, paths))
                + f"\nThe published warehouse {paths.published_db} was not changed.\n"
                "dbt's own error follows.\n"
            )
    return ""
