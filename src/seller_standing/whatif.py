"""`seller-standing what-if RULES.csv`: re-grade history under proposed rule rows.

The proposed rows have the columns of one seed of `seeds/rules/`. Which seed: `--seed`, else
the file name (`ovoko_seller_status__metric_bars.csv`, or any name starting with a seed's
name), else the seed whose columns the file has (for the metric-bars seeds, which share their
columns, the one of the rows' program_id).

Merge: a proposed row replaces the seed's row with the same key (KEYS below, e.g. program_id,
metric_id, rule_version for metric bars); any other proposed row is added (a new version,
with its valid_from; end the old version by proposing it again with a valid_to).

Scratch build: the private build file is copied into a scratch folder beside it
(`.what-if-<build file name>`, one what-if at a time), with the project and the merged seed;
dbt rebuilds only that seed and the models downstream of it (intermediate and marts; staging
never reads the rules) in the copy, with the evaluation date the build used. The published
warehouse and the private build file are only read (copied). The result compares the copy's
marts before and after: status changes (from -> to, per period) and the change in fees per
billing month, printed and written as a page with charts and two CSVs.

The scratch folder keeps dbt's parse of the project (its `target/`) between what-ifs, so only
the first what-if on a build pays a full parse.

The same rows become a real rule change by writing them into the seed file and building.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb
import jinja2
import yaml

from seller_standing.lock import BuildLock, LockedError
from seller_standing.paths import PROJECT_DIR, Paths
from seller_standing.report import charts, words
from seller_standing.settings import DEFAULT_MEMORY_LIMIT

SEEDS_DIR = PROJECT_DIR / "seeds" / "rules"
# Columns that identify a row of each seed: a proposed row with the same key replaces it.
KEYS = {
    "metric_bars": ("program_id", "metric_id", "rule_version"),
    "rule_versions": ("rule_version",),
    "statuses": ("program_id", "status"),
    "fyndiq_performance__fee_schedule": ("rule_version", "fee_type", "price_band"),
    "fyndiq_performance__css_fees": ("rule_version", "fee_type"),
    "fyndiq_performance__css_ladder": ("rule_version", "css_band", "consecutive_from"),
    "ovoko_seller_status__fees": ("rule_version", "fee_type"),
    "kuaishou_after_sales__sla_policies": ("sla_policy", "step", "request_type"),
    "marketplace__reason_codes": ("marketplace", "event_type", "reason_code"),
}
MARKER = ".seller-standing-what-if"


class WhatIfError(Exception):
    """A user mistake or a failed scratch build; the message says what to do."""


def seed_names() -> list[str]:
    return sorted(p.stem for p in SEEDS_DIR.glob("*.csv"))


def key_of(seed: str) -> tuple[str, ...]:
    if seed in KEYS:
        return KEYS[seed]
    suffix = seed.split("__", 1)[-1]
    if suffix in KEYS:
        return KEYS[suffix]
    raise WhatIfError(f"Seed {seed} has no key defined for what-if.")


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def read_rules(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise WhatIfError(f"No file {path}: give the CSV of proposed rule rows.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise WhatIfError(
            f"{path} is not UTF-8 text ({error.reason}); save it as CSV UTF-8."
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise WhatIfError(f"{path} is empty: it needs a header row and at least one rule row.")
    rows = []
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            raise WhatIfError(f"{path} line {number} has more values than the header has columns.")
        row = {k.strip(): (v or "").strip() for k, v in raw.items()}
        if any(row.values()):
            rows.append(row)
    if not rows:
        raise WhatIfError(f"{path} has a header but no rule rows.")
    return header, rows


def detect_seed(path: Path, header: list[str], rows: list[dict[str, str]], seed: str | None) -> str:
    names = seed_names()
    if seed:
        if seed not in names:
            raise WhatIfError(f"--seed {seed}: no such seed. Seeds: {', '.join(names)}.")
        return seed
    by_name = [n for n in names if path.stem == n or path.stem.startswith(n)]
    if by_name:
        return max(by_name, key=len)
    same = [n for n in names if set(_header(SEEDS_DIR / f"{n}.csv")) == set(header)]
    if len(same) > 1 and "program_id" in header:
        programs = {r.get("program_id", "") for r in rows}
        same = [n for n in same if any(n.startswith(p + "__") for p in programs)]
    if len(same) == 1:
        return same[0]
    if not same:
        raise WhatIfError(
            f"{path}: its columns ({', '.join(header)}) are not those of any seed in "
            f"seeds/rules/. Copy the header of the seed you change, or name it with --seed."
        )
    raise WhatIfError(f"{path} fits several seeds ({', '.join(same)}): name one with --seed.")


def _column_types(seed: str) -> dict[str, str]:
    for yml in SEEDS_DIR.glob("*.yml"):
        doc = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        for node in doc.get("seeds", []):
            if node.get("name") == seed:
                return (node.get("config") or {}).get("column_types") or {}
    return {}


def validate(path: Path, seed: str, header: list[str], rows: list[dict[str, str]]) -> None:
    expected = _header(SEEDS_DIR / f"{seed}.csv")
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"unknown column(s) {', '.join(extra)}")
        raise WhatIfError(
            f"{path} does not have the columns of seed {seed}: {'; '.join(parts)}. "
            f"Its columns are: {', '.join(expected)}."
        )
    types = _column_types(seed)
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            kind = (types.get(column) or "varchar").lower()
            if value == "":
                if column in key_of(seed):
                    raise WhatIfError(
                        f"{path} line {number}, column {column}: empty, but it is a key."
                    )
                continue
            problem = None
            if kind.startswith(("double", "decimal", "integer", "bigint")):
                try:
                    number_value = Decimal(value)
                except ArithmeticError:
                    problem = "is not a number"
                else:
                    if kind.startswith(("integer", "bigint")) and number_value != int(number_value):
                        problem = "is not a whole number"
            elif kind == "date":
                try:
                    datetime.strptime(value, "%Y-%m-%d")
                except ValueError:
                    problem = "is not a date (YYYY-MM-DD)"
            elif kind == "boolean" and value.lower() not in ("true", "false"):
                problem = "is not true or false"
            if problem:
                raise WhatIfError(f"{path} line {number}, column {column}: {value!r} {problem}.")


@dataclass
class Merge:
    header: list[str]
    rows: list[dict[str, str]]
    replaced: list[tuple[str, ...]] = field(default_factory=list)
    added: list[tuple[str, ...]] = field(default_factory=list)


def merge(seed: str, proposed: list[dict[str, str]]) -> Merge:
    """The seed's rows with the proposed ones: same key replaces, a new key is added."""
    key = key_of(seed)
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        current = list(reader)
    position = {tuple(r[k] for k in key): i for i, r in enumerate(current)}
    result = Merge(header, current)
    seen: set[tuple[str, ...]] = set()
    for row in proposed:
        k = tuple(row[c] for c in key)
        if k in seen:
            named = dict(zip(key, k, strict=True))
            raise WhatIfError(f"Two proposed rows have the same key {named}.")
        seen.add(k)
        if k in position:
            result.rows[position[k]] = {c: row[c] for c in header}
            result.replaced.append(k)
        else:
            result.rows.append({c: row[c] for c in header})
            result.added.append(k)
    return result


def check_overlaps(seed: str, m: Merge) -> None:
    """Two versions of the same rule in force on one day would double-count (two bars, two
    fee lines): refuse, and say which rows to end."""
    key = key_of(seed)
    if "rule_version" not in key or "valid_from" not in m.header or "valid_to" not in m.header:
        return
    identity = [k for k in key if k != "rule_version"]
    groups: dict[tuple, list[dict[str, str]]] = {}
    for row in m.rows:
        groups.setdefault(tuple(row[k] for k in identity), []).append(row)
    for ident, rows in groups.items():
        rows = sorted(rows, key=lambda r: r["valid_from"] or "0000-00-00")
        for earlier, later in zip(rows, rows[1:], strict=False):
            ends = earlier["valid_to"] or "9999-12-31"
            starts = later["valid_from"] or "0000-00-00"
            if ends >= starts:
                what = ", ".join(f"{k}={v}" for k, v in zip(identity, ident, strict=True))
                raise WhatIfError(
                    f"Versions {earlier['rule_version']} (from {earlier['valid_from'] or 'always'}"
                    f" to {earlier['valid_to'] or 'open'}) and {later['rule_version']} (from "
                    f"{later['valid_from'] or 'always'}) of {what or seed} would both be in "
                    f"force on {max(starts, earlier['valid_from'] or starts)}. End the earlier "
                    f"one: propose its row again with valid_to the day before the new valid_from."
                )


def _write_seed(path: Path, m: Merge) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=m.header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(m.rows)


def build_evaluation_date(con: duckdb.DuckDBPyConnection) -> str | None:
    """The evaluation date the build was made with (the build's on-run-start hook keeps it)."""
    try:
        row = con.execute("select evaluation_date from landing._build_settings").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0].isoformat() if row and row[0] else None


def _landing_stub(folder: Path) -> None:
    """Header-only landing files: the build's on-run-start hook needs a landing folder, and
    nothing the scratch build rebuilds reads landing (base tables are kept from the copy)."""
    doc = yaml.safe_load(
        (PROJECT_DIR / "models/staging/landing/_landing__sources.yml").read_text(encoding="utf-8")
    )
    for source in doc["sources"]:
        for table in source["tables"]:
            columns = [c["name"] for c in table.get("columns", [])]
            (folder / table["name"]).mkdir(parents=True, exist_ok=True)
            (folder / table["name"] / "header_only.csv").write_text(
                ",".join(columns) + "\n", encoding="utf-8"
            )


_PROFILE = """seller_standing:
  target: whatif
  outputs:
    whatif:
      type: duckdb
      path: {path}
      threads: {threads}
      config_options:
        memory_limit: {memory}
        temp_directory: {temp}
      settings:
        TimeZone: UTC
"""


@dataclass
class Result:
    seed: str
    evaluation_date: str
    status_changes: list[tuple]
    fee_changes: list[tuple]
    replaced: list[tuple[str, ...]]
    added: list[tuple[str, ...]]
    seconds: float
    out_dir: Path


def _snapshot_before(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema whatif_before")
    con.execute(
        "create table whatif_before.status as select marketplace, seller_id, program_id, "
        "period_start, period_end, status from marts.fct_program_status"
    )
    con.execute(
        "create table whatif_before.fees as select program_id, billing_month, fee_type, "
        "currency, count(*) as lines, sum(amount) as amount from marts.fct_fee_lines group by all"
    )


def _compare(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    levels = []
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'rules' "
        "and table_name like '%\\_\\_statuses' escape '\\'"
    ).fetchall():
        levels.append(f"select program_id, status, status_level from rules.{table}")
    level_sql = " union all ".join(levels) or "select '' as program_id, '' as status, 0 as level"
    status = con.execute(
        f"""
        with after as (
            select marketplace, seller_id, program_id, period_start, period_end, status
            from marts.fct_program_status
        ),
        lv as ({level_sql}),
        joined as (
            select program_id, marketplace, seller_id, period_start,
                coalesce(a.period_end, b.period_end) as period_end, b.status as before,
                a.status as after
            from whatif_before.status as b
            full outer join after as a using (marketplace, seller_id, program_id, period_start)
            where b.status is distinct from a.status
        )
        select j.program_id, j.marketplace, j.seller_id, d.seller_name, j.period_start,
            j.period_end, j.before, j.after,
            case when lb.status_level is null or la.status_level is null then 'changed'
                 when la.status_level > lb.status_level then 'better'
                 else 'worse' end as direction
        from joined as j
        left join marts.dim_sellers as d
            on d.marketplace = j.marketplace and d.seller_id = j.seller_id
        left join lv as lb on lb.program_id = j.program_id and lb.status = j.before
        left join lv as la on la.program_id = j.program_id and la.status = j.after
        order by j.program_id, j.period_start, j.marketplace, j.seller_id
        """
    ).fetchall()
    fees = con.execute(
        """
        with after as (
            select program_id, billing_month, fee_type, currency, count(*) as lines,
                sum(amount) as amount
            from marts.fct_fee_lines group by all
        )
        select program_id, billing_month, fee_type, currency,
            coalesce(b.lines, 0) as lines_before, coalesce(a.lines, 0) as lines_after,
            coalesce(b.amount, 0) as amount_before, coalesce(a.amount, 0) as amount_after,
            coalesce(a.amount, 0) - coalesce(b.amount, 0) as delta
        from whatif_before.fees as b
        full outer join after as a using (program_id, billing_month, fee_type, currency)
        where b.amount is distinct from a.amount or b.lines is distinct from a.lines
        order by program_id, billing_month, fee_type, currency
        """
    ).fetchall()
    return status, fees


def _dbt() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def _scratch_build(
    paths: Paths, seed: str, m: Merge, evaluation_date: str | None, scratch: Path
) -> tuple[str, list[tuple], list[tuple]]:
    project = scratch / "project"
    project.mkdir()
    for name in ("dbt_project.yml",):
        shutil.copy2(PROJECT_DIR / name, project / name)
    # every folder dbt_project.yml names (docs holds the rulebook's docs blocks)
    for folder in ("macros", "models", "seeds", "analyses", "docs", "tests"):
        if (PROJECT_DIR / folder).is_dir():
            shutil.copytree(PROJECT_DIR / folder, project / folder)
    _write_seed(project / "seeds" / "rules" / f"{seed}.csv", m)
    db = scratch / "whatif.duckdb"
    try:
        shutil.copy2(paths.build_db, db)
        wal = Path(str(paths.build_db) + ".wal")
        if wal.exists():
            shutil.copy2(wal, Path(str(db) + ".wal"))
    except OSError as error:
        raise WhatIfError(f"Cannot copy the private build into {scratch}: {error}") from None
    con = duckdb.connect(str(db))
    try:
        if evaluation_date is None:
            evaluation_date = build_evaluation_date(con)
        if evaluation_date is None:
            raise WhatIfError(
                "Cannot tell which evaluation date the build used: give --evaluation-date."
            )
        _snapshot_before(con)
    finally:
        con.close()
    landing = scratch / "landing"
    _landing_stub(landing)
    (scratch / "tmp").mkdir()
    (project / "profiles.yml").write_text(
        _PROFILE.format(
            path=json.dumps(str(db)),
            threads=os.environ.get("SELLER_STANDING_THREADS", "2"),
            memory=json.dumps(os.environ.get("SELLER_STANDING_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)),
            temp=json.dumps(str(scratch / "tmp")),
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    for name in ("DBT_PROFILES_DIR", "DBT_PROJECT_DIR", "SELLER_STANDING_TARGET"):
        env.pop(name, None)
    env.update(
        SELLER_STANDING_RAW_DIR=str(landing),
        DBT_TARGET_PATH=str(scratch / "target"),
        DBT_LOG_PATH=str(scratch / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    command = [
        _dbt(),
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--select",
        f"{seed}+",
        "--exclude",
        "path:models/staging",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        "--vars",
        json.dumps({"evaluation_date": evaluation_date}),
    ]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [
            line
            for line in done.stdout.splitlines()
            if "error" in line.lower() or "Runtime" in line or "Database" in line
        ]
        detail = "\n".join(errors[-15:]) or done.stdout[-3000:] or done.stderr[-3000:]
        raise WhatIfError(
            f"The scratch build with the proposed rows failed (the warehouse is untouched):\n"
            f"{detail}"
        )
    con = duckdb.connect(str(db), read_only=True)
    try:
        status, fees = _compare(con)
    finally:
        con.close()
    return evaluation_date, status, fees


def _clear_scratch(scratch: Path, lock: BuildLock) -> None:
    """Empty the scratch folder but for dbt's parse (target/) and the lock."""
    keep = {"target", *(path.name for path in lock.paths)}
    for path in scratch.iterdir():
        if path.name in keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def what_if(
    rules: Path,
    seed: str | None = None,
    out: Path | None = None,
    evaluation_date: str | None = None,
    keep: bool = False,
    paths: Paths | None = None,
    stream: TextIO = sys.stdout,
) -> Result:
    started = time.monotonic()
    paths = paths or Paths.from_env()
    header, rows = read_rules(rules)
    seed = detect_seed(rules, header, rows, seed)
    validate(rules, seed, header, rows)
    m = merge(seed, rows)
    check_overlaps(seed, m)
    if evaluation_date is not None:
        try:
            datetime.strptime(evaluation_date, "%Y-%m-%d")
        except ValueError:
            raise WhatIfError(f"--evaluation-date {evaluation_date!r}: write YYYY-MM-DD.") from None
    if not paths.build_db.exists():
        raise WhatIfError(
            f"No private build at {paths.build_db}: what-if rebuilds a copy of it. Run "
            "`seller-standing build` first (or set SELLER_STANDING_BUILD_DB)."
        )
    out = out or paths.published_db.parent / "what-if"
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WhatIfError(f"{out} exists and is not a what-if result folder: choose another --out.")
    stream.write(
        f"What-if on seed {seed}: {len(m.replaced)} row(s) replaced, {len(m.added)} added. "
        "Rebuilding a scratch copy ...\n"
    )
    stream.flush()
    scratch = paths.build_db.parent / f".what-if-{paths.build_db.name}"
    lock = BuildLock(scratch / "what-if")
    try:
        lock.acquire()
    except LockedError:
        raise WhatIfError(
            f"Another what-if on this build is running (it holds {scratch}): wait for it to "
            "finish, then try again. Nothing was changed."
        ) from None
    except OSError as error:
        raise WhatIfError(
            f"Cannot create a scratch folder beside {paths.build_db}: {error}"
        ) from None
    try:
        _clear_scratch(scratch, lock)
        evaluation_date, status, fees = _scratch_build(paths, seed, m, evaluation_date, scratch)
    finally:
        if keep:
            stream.write(f"Scratch build kept in {scratch} (until the next what-if)\n")
        else:
            _clear_scratch(scratch, lock)
        lock.release()
    result = Result(
        seed, evaluation_date, status, fees, m.replaced, m.added, time.monotonic() - started, out
    )
    write_result(result, rules)
    print_result(result, stream)
    return result


def print_result(r: Result, out: TextIO) -> None:
    out.write(f"Evaluation date {r.evaluation_date}; done in {r.seconds:.1f} s.\n")
    programs = sorted({s[0] for s in r.status_changes} | {f[0] for f in r.fee_changes})
    if not programs:
        out.write("No status and no fee would change.\n")
    for program in programs:
        out.write(f"\n{words.program_label(program)} ({program})\n")
        changes = [s for s in r.status_changes if s[0] == program]
        out.write(f"  {len(changes)} seller-period(s) would change status:\n")
        for _, mkt, sid, name, start, end, before, after, _d in changes[:40]:
            out.write(
                f"    {words.period_label(start, end):>9}  {mkt}:{sid} {name or ''}: "
                f"{words.status_label(before)} -> {words.status_label(after)}\n"
            )
        if len(changes) > 40:
            out.write(f"    ... {len(changes) - 40} more in status_changes.csv\n")
        fee_rows = [f for f in r.fee_changes if f[0] == program]
        if fee_rows:
            out.write("  Fees billed per billing month (before -> after):\n")
            for _, month, fee_type, currency, _lb, _la, before, after, delta in fee_rows:
                out.write(
                    f"    {month:%Y-%m}  {words.fee_type_label(fee_type)}: "
                    f"{words.fmt_amount(before)} -> {words.fmt_amount(after)} {currency} "
                    f"({'+' if delta >= 0 else ''}{words.fmt_amount(delta)})\n"
                )
        else:
            out.write("  No fee would change.\n")
    out.write(f"\nPage and CSVs: {r.out_dir / 'index.html'}\n")


_PAGE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "report" / "templates")),
    autoescape=True,
).get_template("whatif.html")


def write_result(r: Result, source: Path) -> None:
    tmp = r.out_dir.with_name(f".{r.out_dir.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with open(tmp / "status_changes.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(
            [
                "program_id",
                "marketplace",
                "seller_id",
                "seller_name",
                "period_start",
                "period_end",
                "status_before",
                "status_after",
                "direction",
            ]
        )
        w.writerows(r.status_changes)
    with open(tmp / "fee_changes.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(
            [
                "program_id",
                "billing_month",
                "fee_type",
                "currency",
                "lines_before",
                "lines_after",
                "amount_before",
                "amount_after",
                "amount_change",
            ]
        )
        w.writerows(r.fee_changes)
    programs = []
    for program in sorted({s[0] for s in r.status_changes} | {f[0] for f in r.fee_changes}):
        changes = [s for s in r.status_changes if s[0] == program]
        periods = sorted({(s[4], s[5]) for s in changes})
        labels = [words.period_label(a, b) for a, b in periods]
        status_chart = None
        if changes:
            series = [
                (name, colour, [sum(s[4] == a and s[8] == d for s in changes) for a, _ in periods])
                for name, colour, d in (
                    ("better", "#3b8a50", "better"),
                    ("worse", "#b3443c", "worse"),
                    ("other", "#8a8f98", "changed"),
                )
            ]
            status_chart = jinja2.utils.markupsafe.Markup(
                charts.stacked_chart(labels, series, "Seller-periods changing status per period")
            )
        fees = [f for f in r.fee_changes if f[0] == program]
        fee_chart = None
        if fees:
            months = sorted({f[1] for f in fees})
            before = [float(sum(f[6] for f in fees if f[1] == m)) for m in months]
            after = [float(sum(f[7] for f in fees if f[1] == m)) for m in months]
            fee_chart = jinja2.utils.markupsafe.Markup(
                charts.paired_chart(
                    [m.strftime("%Y-%m") for m in months],
                    before,
                    after,
                    "Fees billed per billing month, current rules and proposed",
                )
            )
        programs.append(
            {
                "label": words.program_label(program),
                "changes": [
                    {
                        "marketplace": s[1],
                        "seller_id": s[2],
                        "name": s[3] or s[2],
                        "start": s[4],
                        "period": words.period_label(s[4], s[5]),
                        "before": words.status_label(s[6]) if s[6] else "(no status)",
                        "after": words.status_label(s[7]) if s[7] else "(no status)",
                    }
                    for s in changes
                ],
                "status_chart": status_chart,
                "fees": [
                    {
                        "month": f[1].strftime("%Y-%m"),
                        "type": f"{words.fee_type_label(f[2])} ({f[3]})",
                        "before": words.fmt_amount(f[6]),
                        "after": words.fmt_amount(f[7]),
                        "delta": ("+" if f[8] >= 0 else "") + words.fmt_amount(f[8]),
                    }
                    for f in fees
                ],
                "fee_chart": fee_chart,
            }
        )
    html = _PAGE.render(
        seed=r.seed,
        source=source.name,
        replaced=len(r.replaced),
        added=len(r.added),
        evaluation_date=r.evaluation_date,
        programs=programs,
        rendered_at=datetime.now(UTC).isoformat(timespec="minutes"),
    )
    (tmp / "index.html").write_text(html, encoding="utf-8")
    (tmp / MARKER).write_text("Written by seller-standing what-if; replaced on each run.\n")
    if r.out_dir.exists():
        shutil.rmtree(r.out_dir)
    os.replace(tmp, r.out_dir)
