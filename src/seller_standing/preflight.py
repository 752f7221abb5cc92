"""Checks on landing files that give a clearer message than the database would."""

from __future__ import annotations

import codecs
from pathlib import Path

CHUNK = 1 << 20


class LandingFileError(Exception):
    """A landing file cannot be read; the message says which, where, and what to do."""


def check_utf8(path: Path, root: Path) -> None:
    """Raise LandingFileError if a CSV file is not valid UTF-8 (streamed, any size)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                position = offset + error.start
                line += chunk[: error.start].count(b"\n")
                raise LandingFileError(
                    f"Landing file {path.relative_to(root)} is not UTF-8 text: byte "
                    f"0x{chunk[error.start]:02x} at byte {position} (line {line}) is not valid "
                    "UTF-8. It is probably Latin-1 or Windows-1252. Export it as UTF-8 (in "
                    "spreadsheet tools: 'CSV UTF-8'; or `iconv -f windows-1252 -t utf-8`), then "
                    "build again."
                ) from None
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LandingFileError(
                f"Landing file {path.relative_to(root)} ends in the middle of a UTF-8 "
                "character: the file is truncated or not UTF-8. Export it again."
            ) from None


def check_landing(raw_dir: Path) -> None:
    """Every CSV file of every table folder is valid UTF-8."""
    for path in sorted(raw_dir.glob("*/*.csv")):
        check_utf8(path, raw_dir)
