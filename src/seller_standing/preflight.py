"""Checks on landing files that give a clearer message than the database would."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

CHUNK = 1 << 20


class LandingFileError(Exception):
    """A landing file cannot be read; the message says which, where, and what to do."""


def _open_binary(path: Path):  # noqa: ANN202 - a binary stream
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")
    return open(path, "rb")


def _read_chunk(handle, path: Path, root: Path) -> bytes:  # noqa: ANN001
    try:
        return handle.read(CHUNK)
    except (OSError, EOFError) as error:
        if isinstance(error, OSError) and error.errno is not None:
            raise
        raise LandingFileError(
            f"Landing file {path.relative_to(root)} is not a readable gzip file ({error}): it "
            "is truncated or not gzip. Export and compress it again, or move it out of the "
            "landing folder."
        ) from None


def check_utf8(path: Path, root: Path) -> None:
    """Raise LandingFileError if a CSV file is not valid UTF-8 (streamed, any size)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    line = 1
    with _open_binary(path) as handle:
        while chunk := _read_chunk(handle, path, root):
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


# What happens to each file in a landing table folder, by its name (lower case).
READ_SUFFIXES = (".csv", ".csv.gz", ".csv.zst", ".parquet")
_DATA_KINDS = {
    ".xlsx": "an Excel workbook",
    ".xlsm": "an Excel workbook",
    ".xls": "an Excel workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
    ".json": "JSON",
    ".jsonl": "JSON lines",
    ".ndjson": "JSON lines",
    ".xml": "XML",
    ".tsv": "tab-separated text",
    ".tab": "tab-separated text",
    ".txt": "a text file",
    ".dat": "a data file",
    ".zip": "a zip archive",
    ".7z": "a 7-Zip archive",
    ".rar": "a RAR archive",
    ".tar": "a tar archive",
    ".tgz": "a compressed tar archive",
    ".gz": "a gzip file that is not a .csv.gz",
    ".zst": "a zstd file that is not a .csv.zst",
    ".bz2": "a bzip2 file",
    ".xz": "an xz file",
    ".pq": "Parquet named .pq",
    ".parq": "Parquet named .parq",
    ".avro": "Avro",
    ".orc": "ORC",
    ".feather": "Arrow/Feather",
    ".arrow": "Arrow",
    ".sqlite": "a SQLite database",
    ".db": "a database file",
    ".duckdb": "a DuckDB database",
}
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"}
READABLE = "CSV (.csv, or compressed .csv.gz / .csv.zst) and Parquet (.parquet)"


def file_kind(name: str) -> str:
    """'read', 'ignore' (hidden or operating-system files) or 'stop', from a file's name."""
    lower = name.lower()
    if name.startswith(".") or name.startswith("~$") or lower in _SYSTEM_NAMES:
        return "ignore"
    if lower.endswith(READ_SUFFIXES):
        return "read"
    if lower.startswith("readme"):
        return "ignore"
    return "stop"


def _what_to_export(rel: str, name: str) -> str:
    lower = name.lower()
    suffix = next((s for s in sorted(_DATA_KINDS, key=len, reverse=True) if lower.endswith(s)), "")
    kind = _DATA_KINDS.get(suffix)
    table = rel.split("/", 1)[0]
    if kind is None:
        return (
            f"Landing file {rel} is not a file the build reads: only {READABLE} files are "
            f"read. Export the data as CSV UTF-8 into {table}/, or move the file out of the "
            "landing folder."
        )
    advice = {
        ".zip": f"unpack it and put its CSV or Parquet files in {table}/",
        ".7z": f"unpack it and put its CSV or Parquet files in {table}/",
        ".rar": f"unpack it and put its CSV or Parquet files in {table}/",
        ".tar": f"unpack it and put its CSV or Parquet files in {table}/",
        ".tgz": f"unpack it and put its CSV or Parquet files in {table}/",
        ".pq": "rename it to end in .parquet",
        ".parq": "rename it to end in .parquet",
    }.get(suffix, "export it as CSV UTF-8 (comma-separated, with a header row)")
    return (
        f"Landing file {rel} is {kind}, which the build does not read: only {READABLE} files "
        f"are read. To load its rows, {advice}; then move {name} out of the landing folder and "
        "build again."
    )


def contract_tables(project_dir: Path) -> list[str]:
    """The landing tables of the contract (models/staging/landing/_landing__sources.yml)."""
    from seller_standing.contract import landing_tables

    return [table["name"] for table in landing_tables(project_dir)]


def check_landing(raw_dir: Path, tables: list[str] | None = None) -> list[str]:
    """Look at every file under the landing folder; return notes on what is ignored.

    Stops (LandingFileError) on a file that looks like data the build cannot read, on a
    sub-folder inside a table folder, and on a CSV file that is not valid UTF-8."""
    if tables is None:
        from seller_standing.paths import PROJECT_DIR

        tables = contract_tables(PROJECT_DIR)
    notes: list[str] = []
    for entry in sorted(raw_dir.iterdir()):
        if entry.name.startswith("."):
            notes.append(f"{entry.name}: hidden, ignored")
        elif not entry.is_dir():
            notes.append(
                f"{entry.name}: a file in the landing folder itself, not in a table folder; "
                "ignored (put it in the folder of its table, like orders/)"
            )
        elif entry.name not in tables:
            count = sum(1 for _ in entry.rglob("*"))
            notes.append(
                f"{entry.name}/: not a table of the contract; ignored with its {count} "
                f"entries (tables: {', '.join(tables)})"
            )
    for table in tables:
        folder = raw_dir / table
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            rel = f"{table}/{path.name}"
            if path.is_dir():
                if path.name.startswith(".") or path.name == "__MACOSX":
                    notes.append(f"{rel}/: hidden or system folder, ignored")
                    continue
                raise LandingFileError(
                    f"Landing folder {rel}/ is a sub-folder: the build reads only the files "
                    f"directly in {table}/. Move its files up into {table}/ (or out of the "
                    "landing folder), then build again."
                )
            kind = file_kind(path.name)
            if kind == "ignore":
                notes.append(f"{rel}: hidden or operating-system file, ignored")
            elif kind == "stop":
                raise LandingFileError(_what_to_export(rel, path.name))
            elif path.name.lower().endswith((".csv", ".csv.gz")):
                check_utf8(path, raw_dir)
    return notes


# DuckDB's CSV reader refuses a line longer than this (its max_line_size default).
MAX_LINE_BYTES = 2_000_000


def _open_text(path: Path):  # noqa: ANN202 - a text stream
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def describe_csv_problem(path: Path, rel: str) -> str | None:
    """Why DuckDB could not read this CSV file, as the project says it: the line as an editor
    shows it, what is wrong, what to do. Streams the file once; None if no problem is found
    (or the file is compressed in a way Python cannot read)."""
    import csv

    if path.name.lower().endswith(".zst"):
        return None
    csv.field_size_limit((1 << 31) - 1)
    try:
        return _first_problem(path, rel, csv)
    except (OSError, EOFError, UnicodeDecodeError):
        return None


def _first_problem(path: Path, rel: str, csv) -> str | None:  # noqa: ANN001
    with _open_text(path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            return None
        names = [h.strip() for h in header]
        start = reader.line_num + 1
        try:
            for record in reader:
                line = start
                start = reader.line_num + 1
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # an empty line, or one holding only spaces: ignored
                if len(record) != len(names):
                    more = len(record) > len(names)
                    return (
                        f"Landing file {rel}, line {line}: {len(record)} fields, but the header "
                        f"has {len(names)} ({', '.join(names)}). "
                        + (
                            'A value holding a comma must be in double quotes ("a, b"). '
                            if more
                            else "Every line needs one value per header column (an empty value "
                            "is two commas in a row). "
                        )
                        + "Fix that line or export the file again, then build again."
                    )
                for name, field in zip(names, record, strict=True):
                    size = len(field.encode("utf-8"))
                    if size >= MAX_LINE_BYTES:
                        return (
                            f"Landing file {rel}, line {line}, column {name}: the value is "
                            f"{size:,} bytes long; the reader takes lines of up to "
                            f"{MAX_LINE_BYTES:,} bytes. Such a value is almost always an "
                            "export error (a quote never closed, or binary data): fix the "
                            "line or export the file again."
                        )
        except csv.Error as error:
            if "end of data" not in str(error):
                return (
                    f"Landing file {rel}, line {start}: a double quote is misplaced ({error}). "
                    "A quoted value must end at a comma or the end of the line, and a quote "
                    'inside a value is written twice (""). Fix the line or export the file '
                    "again."
                )
            return (
                f'Landing file {rel}, line {start}: a value opens a double quote (") that is '
                "never closed, so the rest of the file reads as one value. Close the quote, or "
                'double a quote that is part of the text (""), or export the file again.'
            )
    return None


def translate_read_error(output: str, raw_dir: Path) -> str | None:
    """The project's message for a landing file DuckDB could not read, from dbt's output."""
    messages: list[str] = []
    seen: set[str] = set()
    pattern = re.compile(
        r"LANDING_SHORT_ROW file=(?P<rel>\S+) data_row=(?P<row>\d+) fields_expected=(?P<n>\d+)"
        r"|CSV Error on Line: (?P<line>\d+)(?P<body>.*?)\n\s*file = (?P<path>[^\n]+)",
        re.DOTALL,
    )
    for match in pattern.finditer(output):
        if match["rel"]:
            rel = match["rel"]
            fallback = (
                f"Landing file {rel}, data row {match['row']}: fewer fields than the "
                f"{match['n']} of the header. Every line needs one value per header column; "
                "fix that line or export the file again."
            )
        else:
            path = Path(match["path"].strip())
            try:
                rel = path.relative_to(raw_dir).as_posix()
            except ValueError:
                rel = str(path)
            what = next(
                (ln.strip() for ln in match["body"].splitlines()[2:] if ln.strip()), "unreadable"
            )
            fallback = (
                f"Landing file {rel}, line {match['line']}: cannot be read as CSV ({what}). "
                "Export the file again as CSV UTF-8, comma-separated, with a header row."
            )
        if rel in seen:
            continue
        seen.add(rel)
        path = raw_dir / rel
        described = describe_csv_problem(path, rel) if path.is_file() else None
        messages.append(described or fallback)
    return "\n".join(messages) if messages else None
