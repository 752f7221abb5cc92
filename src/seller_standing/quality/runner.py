"""Great Expectations checks of a built warehouse: landing data and every mart.

``run_checks(db_path)`` opens the DuckDB file read-only, reads each suite's rows into pandas
(Great Expectations' SQL datasource fails on DuckDB; see STACK-NOTES.md; a table above the
suite's ``sample.max_rows`` as a sample, with DuckDB's exact counts put in the results, see
data.py), validates them with an ephemeral Great Expectations context, prints one line per
expectation and returns True only if nothing failed. Expectations marked
``meta: {severity: warning}`` print as WARN and do not fail the run; a suite whose table is
absent and that says ``if_absent: skip`` prints one SKIP line.

The suites are the YAML files under ``expectations/`` (see its README.md): one per mart, one
for the marts' columns, and ``landing.yml``, whose per-table checks are generated from the
landing contract in ``models/staging/landing/_landing__sources.yml`` at run time and read the
rows the build loaded (``staging.load_landing__<table>``), never the landing files.

Importing this module is cheap; Great Expectations (about 4 s to import) is imported by
``run_checks`` itself.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from seller_standing.quality.data import EXAMPLE_ROWS, Exact, Frame, read_frame, where_column
from seller_standing.quality.report import ERROR, FAIL, PASS, SKIP, WARN, Row, Table, describe
from seller_standing.quality.suites import (
    ExpectationSpec,
    SuiteFileError,
    SuiteSpec,
    load_suites,
)

__all__ = ["QualityError", "default_project_dir", "list_suites", "main", "run_checks"]

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 10}


class QualityError(Exception):
    """Something the user can fix: a missing file, a bad suite file, an unknown suite name."""


def default_project_dir() -> Path:
    """The dbt project holding ``expectations/`` and the landing contract.

    ``SELLER_STANDING_PROJECT_DIR`` if set; else the repository this package is installed
    from (editable install); else the current folder.
    """
    env = os.environ.get("SELLER_STANDING_PROJECT_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    if (repo / "dbt_project.yml").is_file() and (repo / "expectations").is_dir():
        return repo
    return Path.cwd()


def list_suites(project_dir: Path | None = None) -> list[SuiteSpec]:
    """Every suite the expectation files describe (no warehouse needed)."""
    project = project_dir or default_project_dir()
    try:
        return load_suites(project / "expectations", project)
    except SuiteFileError as exc:
        raise QualityError(str(exc)) from exc


def _select(specs: list[SuiteSpec], names: Sequence[str] | None) -> list[SuiteSpec]:
    if not names:
        return specs
    known = {s.name for s in specs} | {s.group for s in specs}
    unknown = [n for n in names if n not in known]
    if unknown:
        groups = sorted({s.group for s in specs})
        raise QualityError(
            f"Unknown suite(s): {', '.join(unknown)}. Known suites: {', '.join(groups)} "
            "(or one landing table, e.g. landing.orders)."
        )
    wanted = set(names)
    return [s for s in specs if s.name in wanted or s.group in wanted]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Great Expectations' deprecation warnings and log chatter are not for our users."""
    logger = logging.getLogger("great_expectations")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _import_gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with _quiet():
        import great_expectations as gx

    return gx


def _context(gx: Any, docs_dir: Path | None) -> Any:
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites["local_site"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@dataclass
class _Built:
    """A suite as Great Expectations objects, and which expectation is which spec."""

    spec: SuiteSpec
    validation: Any
    by_id: dict[str, ExpectationSpec]


def _expectation(spec: ExpectationSpec) -> Any:
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.registry import get_expectation_impl
    from great_expectations.expectations.row_conditions import (
        Column,
        ComparisonCondition,
        Operator,
    )

    try:
        cls = get_expectation_impl(spec.type)
    except ExpectationNotFoundError as exc:
        raise QualityError(
            f"{spec.origin}: {spec.type} is not a Great Expectations expectation "
            "(see https://greatexpectations.io/expectations/)."
        ) from exc
    kwargs = dict(spec.kwargs)
    if spec.where:
        kwargs["row_condition"] = ComparisonCondition(
            column=Column(name=where_column(spec.where)), operator=Operator.EQUAL, parameter=True
        )
    try:
        return cls(**kwargs)
    except Exception as exc:  # pydantic's ValidationError and friends: a mistake in the file
        message = " ".join(str(exc).split())
        raise QualityError(f"{spec.origin}: {spec.type}: {message}") from exc


def _build(gx: Any, context: Any, datasource: Any, spec: SuiteSpec) -> _Built:
    asset = datasource.add_dataframe_asset(name=spec.name)
    batch = asset.add_batch_definition_whole_dataframe("rows")
    meta = {"notes": spec.description, "source_file": str(spec.source_file)}
    # The suite is stored once with all its expectations (adding them one by one stores the
    # whole suite again each time); the store gives every expectation its id.
    expectations = [_expectation(item) for item in spec.expectations]
    suite = context.suites.add(
        gx.ExpectationSuite(name=spec.name, meta=meta, expectations=expectations)
    )
    pairs = zip(suite.expectations, spec.expectations, strict=True)
    by_id = {str(added.id): item for added, item in pairs}
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
    )
    return _Built(spec=spec, validation=validation, by_id=by_id)


def _exception_message(info: Any) -> str | None:
    """The first raised exception's message in a result's exception_info (flat or per metric)."""
    if not isinstance(info, dict):
        return None
    found = [info] if info.get("raised_exception") else []
    found += [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    if not found:
        return None
    message = str(found[0].get("exception_message") or "exception").strip()
    message = message.removeprefix("Error: ").replace(" in BatchData does not exist", " is missing")
    return message.splitlines()[0] if message else "exception"


def _rows(built: _Built, frame: Frame, results: Any) -> list[Row]:
    by_spec: dict[int, Row] = {}
    for result in results.results:
        spec = built.by_id.get(str(result.expectation_config.id))
        if spec is None:
            continue
        error = _exception_message(result.exception_info)
        broken = [c for c in spec.columns() if c in frame.derived_errors]
        if spec.where and where_column(spec.where) in frame.derived_errors:
            broken.append(where_column(spec.where))
        if broken:
            error = f"{broken[0]} could not be computed: {frame.derived_errors[broken[0]]}"
        if error is not None:
            status = WARN if spec.severity == "warning" else ERROR
            detail = f"error: {error}"
        else:
            status = PASS if result.success else (WARN if spec.severity == "warning" else FAIL)
            detail = describe(spec, bool(result.success), result.result or {})
        by_spec[id(spec)] = Row(built.spec.name, spec.type, spec.column_label(), status, detail)
    return [by_spec[id(s)] for s in built.spec.expectations if id(s) in by_spec]


def _forget_batches(datasource: Any) -> None:
    """Drop the DataFrames Great Expectations keeps after a validation.

    GE 1.24's execution engine keeps every batch it has validated (batch cache and batch-data
    cache) for the life of the context; without this, memory grows by one sampled table per
    suite instead of holding one at a time.
    """
    try:
        manager = datasource.get_execution_engine().batch_manager
        manager.reset_batch_cache()
        cache = getattr(manager, "_batch_data_cache", None)
        if isinstance(cache, dict):
            cache.clear()
    except Exception:  # only a memory optimisation: never fail a run over it
        pass


def _exact_result(spec: ExpectationSpec, result: Any, exact: Exact) -> None:
    """Put DuckDB's counts over every row into a result Great Expectations computed on a
    sample (its examples, from the unexpected rows added to the sample, stay)."""
    values = dict(result.result or {})
    if exact.observed_value is not None:
        observed = exact.observed_value
        values["observed_value"] = observed
        low = spec.kwargs.get("min_value", spec.kwargs.get("value"))
        high = spec.kwargs.get("max_value", spec.kwargs.get("value"))
        result.success = (low is None or observed >= low) and (high is None or observed <= high)
        result.result = values
        return
    element, missing, unexpected = exact.element_count, exact.missing_count, exact.unexpected_count
    present = element - missing

    def pct(part: int, whole: int) -> float | None:
        return 100.0 * part / whole if whole else None

    values["element_count"] = element
    values["unexpected_count"] = unexpected
    if "missing_count" in values:
        values["missing_count"] = missing
        values["missing_percent"] = pct(missing, element)
    values["unexpected_percent"] = pct(
        unexpected, present if "missing_count" in values else element
    )
    if "unexpected_percent_total" in values:
        values["unexpected_percent_total"] = pct(unexpected, element)
    if "unexpected_percent_nonmissing" in values:
        values["unexpected_percent_nonmissing"] = pct(unexpected, present)
    # counts per value of the examples would be counts of the sample: leave the list only
    values.pop("partial_unexpected_counts", None)
    values.pop("partial_unexpected_index_list", None)
    mostly = float(spec.kwargs.get("mostly", 1.0))
    whole = present if "missing_count" in values else element
    result.success = whole == 0 or (whole - unexpected) / whole >= mostly
    result.result = values


def _store_again(context: Any, suite_name: str, results: Any) -> None:
    """Store a suite's changed validation result over the one GE stored (for Data Docs)."""
    store = context.validation_results_store
    for key in store.list_keys():
        if store.get(key).suite_name == suite_name:
            store.set(key, results)


def _validate(built: _Built, frame: Frame, table: Table, context: Any = None) -> None:
    spec = built.spec
    if frame.absent:
        result = SKIP if spec.if_absent == "skip" else FAIL
        verb = "suite skipped" if result == SKIP else "expected it to exist"
        table.add(Row(spec.name, "-", "-", result, f"{spec.relation} is absent: {verb}"))
        return
    if frame.error is not None or frame.df is None:
        table.add(Row(spec.name, "-", "-", ERROR, f"error: {frame.error}"))
        return
    with _quiet():
        results = built.validation.run(
            batch_parameters={"dataframe": frame.df}, result_format=RESULT_FORMAT
        )
    if frame.exact:
        index = {id(item): i for i, item in enumerate(spec.expectations)}
        for result in results.results:
            item = built.by_id.get(str(result.expectation_config.id))
            exact = frame.exact.get(index.get(id(item), -1)) if item is not None else None
            if exact is not None and _exception_message(result.exception_info) is None:
                _exact_result(item, result, exact)
        results.success = all(r.success for r in results.results)
        if context is not None:
            with _quiet():
                _store_again(context, spec.name, results)
    for row in _rows(built, frame, results):
        table.add(row)
    if frame.sampled:
        table.notes.append(
            f"Note: {spec.name} has {frame.total_rows:,} rows, more than sample.max_rows "
            f"({spec.max_rows:,}): Great Expectations checked a sample of "
            f"{frame.sample_rows:,} plus up to {EXAMPLE_ROWS} unexpected rows per failing "
            f"check. Counts of {len(frame.exact)} of its {len(spec.expectations)} checks "
            "(nulls, regex, value sets, ranges, uniqueness, row counts) are exact, counted by "
            "DuckDB over every row; the others are those of the sample."
        )


def run_checks(
    db_path: Path,
    docs_dir: Path | None = None,
    suites: list[str] | None = None,
    out: TextIO | None = None,
    *,
    project_dir: Path | None = None,
) -> bool:
    """Validate the warehouse at ``db_path``; print the results; True if nothing failed.

    docs_dir: also write Great Expectations Data Docs (HTML, ``index.html``) there.
    suites: only these suites (file names such as ``landing``, ``fct_fee_lines``,
        ``marts_columns``, or one landing table such as ``landing.orders``); default all.
    out: where the table goes (default: standard output).
    project_dir: the dbt project holding ``expectations/`` (default: ``default_project_dir()``).

    Raises QualityError, with what to do, when the warehouse file or a suite file is unusable.
    """
    out = out if out is not None else sys.stdout
    started = time.monotonic()
    project = Path(project_dir) if project_dir is not None else default_project_dir()
    chosen = _select(list_suites(project), suites)
    db_path = Path(db_path)
    if not db_path.is_file():
        raise QualityError(
            f"No warehouse at {db_path}. Build it first (dbt build), or pass the path of the "
            "DuckDB file to check (SELLER_STANDING_DB)."
        )

    gx = _import_gx()
    with _quiet():
        context = _context(gx, docs_dir)
        datasource = context.data_sources.add_pandas(name="warehouse")
        built = [_build(gx, context, datasource, spec) for spec in chosen]

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise QualityError(
            f"Cannot open {db_path} read-only: {str(exc).strip()}. If a dbt build is writing "
            "to it, wait for it to finish."
        ) from exc
    plural = "suite" if len(chosen) == 1 else "suites"
    print(f"Checking {db_path} ({len(chosen)} {plural})", file=out)
    table = Table(out, chosen)
    try:
        for item in built:
            frame = read_frame(con, item.spec)
            _validate(item, frame, table, context)
            del frame
            _forget_batches(datasource)
    finally:
        con.close()

    if docs_dir is not None:
        from seller_standing.quality.docs import align_status, make_offline

        docs_dir.mkdir(parents=True, exist_ok=True)
        with _quiet():
            align_status(context, {row.suite for row in table.rows if row.failed})
            context.build_data_docs()
        make_offline(docs_dir)
        table.notes.append(f"Data Docs: {docs_dir / 'index.html'}")
    table.notes.append(f"Checked in {time.monotonic() - started:.1f} s.")
    table.finish()
    return table.counts()["failed"] == 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m seller_standing.quality DB [--docs DIR] [--suite NAME ...]``: 0 if all passed."""
    parser = argparse.ArgumentParser(
        prog="python -m seller_standing.quality",
        description="Great Expectations checks of a built seller_standing warehouse.",
    )
    parser.add_argument("db", type=Path, help="the DuckDB file to check")
    parser.add_argument("--docs", type=Path, help="write Data Docs (HTML) into this folder")
    parser.add_argument(
        "--suite", action="append", dest="suites", help="only this suite (repeatable)"
    )
    parser.add_argument("--project-dir", type=Path, help="folder holding expectations/")
    args = parser.parse_args(argv)
    try:
        ok = run_checks(args.db, args.docs, args.suites, project_dir=args.project_dir)
    except QualityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
