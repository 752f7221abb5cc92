"""Suite files of the data-quality checks: reading them, and generating the landing suites.

A suite file (YAML, under ``expectations/``) names the rows it checks and lists Great
Expectations expectations by their snake_case names; see ``expectations/README.md``. This
module only reads and checks the files: it imports neither Great Expectations nor DuckDB, so
a mistake in a file is reported before anything slow starts.

The landing file is special: it points at the landing contract
(``models/staging/landing/_landing__sources.yml``) and the checks per landing table are
generated from the contract's column meta (type, required, values, min, max) and table key
each time the checks run, so the contract stays the one place they are written down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seller_standing.project import resolve_meta

SEVERITIES = ("error", "warning")
DEFAULT_MAX_ROWS = 100_000

# Expectations that look at the table's columns, not its rows: their batch needs every column.
SCHEMA_EXPECTATIONS = frozenset(
    {
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_match_ordered_list",
        "expect_table_column_count_to_equal",
        "expect_table_column_count_to_be_between",
    }
)
UNIQUENESS_EXPECTATIONS = frozenset(
    {
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_unique",
        "expect_select_column_values_to_be_unique_within_record",
        "expect_multicolumn_values_to_be_unique",
    }
)

# Text a landing value of each contract type must look like (checked before staging casts it).
TYPE_PATTERNS: dict[str, str] = {
    "integer": r"^[+-]?\d+$",
    "decimal": r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "timestamp": (
        r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
        r"(Z|z|[+-]\d{2}(:?\d{2})?)?$"
    ),
    "boolean": r"^(?i:true|false)$",
}
NUMERIC_TYPES = frozenset({"integer", "decimal"})

LANDING_CHECKS: dict[str, str] = {
    # check name -> default severity ("off" leaves it out)
    "required_columns_exist": "error",
    "required_not_null": "warning",
    "types": "warning",
    "allowed_values": "warning",
    "ranges": "warning",
    "key_unique_in_landing": "warning",
    "key_unique_among_staged": "error",
}


class SuiteFileError(ValueError):
    """A suite file (or the contract it points at) cannot be used; the message says where."""


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of a suite, as written in its file."""

    type: str
    kwargs: dict[str, Any]
    severity: str = "error"
    where: str | None = None
    origin: str = ""

    def columns(self) -> list[str]:
        """Columns the expectation reads, in order (for the report and the column pruning)."""
        names: list[str] = []
        for key in ("column", "column_A", "column_B"):
            value = self.kwargs.get(key)
            if isinstance(value, str):
                names.append(value)
        for key in ("column_list", "column_set"):
            value = self.kwargs.get(key)
            if isinstance(value, list | tuple):
                names.extend(str(v) for v in value)
        return names

    def column_label(self) -> str:
        """The report's COLUMN cell."""
        if "column_set" in self.kwargs or ("column_list" in self.kwargs and self.is_schema()):
            values = self.kwargs.get("column_set") or self.kwargs.get("column_list") or []
            return f"({len(values)} columns)"
        if "column_A" in self.kwargs:
            return f"{self.kwargs['column_A']} vs {self.kwargs.get('column_B', '?')}"
        return ", ".join(self.columns())

    def is_schema(self) -> bool:
        return self.type in SCHEMA_EXPECTATIONS


@dataclass(frozen=True)
class SuiteSpec:
    """What one Great Expectations suite validates, and how the rows are read."""

    name: str
    group: str
    source_file: Path
    relation: str | None = None
    query: str | None = None
    where: str | None = None
    description: str = ""
    derived: dict[str, str] = field(default_factory=dict)
    max_rows: int = DEFAULT_MAX_ROWS
    sample_by: tuple[str, ...] = ()
    if_absent: str = "fail"
    expectations: tuple[ExpectationSpec, ...] = ()
    # The suite's columns are its derived columns (a landing suite: the contract's columns as
    # landed), so a schema check reads those rather than every column of the table.
    columns_are_derived: bool = False

    @property
    def label(self) -> str:
        return self.relation or "query"


# --- reading files --------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise SuiteFileError(f"{path}: cannot read it ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise SuiteFileError(f"{path}: not valid YAML: {exc}") from exc


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SuiteFileError(f"{where}: expected a mapping (key: value), got {value!r}.")
    return dict(value)


def _severity(value: Any, where: str, allow_off: bool = False) -> str:
    allowed = (*SEVERITIES, "off") if allow_off else SEVERITIES
    text = str(value).lower()
    if text not in allowed:
        raise SuiteFileError(
            f"{where}: severity must be one of {', '.join(allowed)}, got {value!r}."
        )
    return text


def parse_expectation(item: Any, where: str, severity: str | None = None) -> ExpectationSpec:
    """One list item ``{expect_name: {kwargs}}`` of a suite file."""
    if isinstance(item, str):
        item = {item: {}}
    if not isinstance(item, Mapping) or len(item) != 1:
        raise SuiteFileError(
            f"{where}: each expectation is a mapping with one key, the expectation's name, "
            f"e.g. '- expect_column_values_to_not_be_null: {{column: seller_id}}'; got {item!r}."
        )
    ((name, kwargs),) = item.items()
    name = str(name)
    if not re.fullmatch(r"expect_[a-z0-9_]+", name):
        raise SuiteFileError(f"{where}: {name!r} is not an expectation name (expect_...).")
    kwargs = _mapping(kwargs, f"{where} ({name})")
    where_sql = kwargs.pop("where", None)
    if where_sql is not None and not isinstance(where_sql, str):
        raise SuiteFileError(f"{where} ({name}): 'where' must be a SQL condition (text).")
    if "row_condition" in kwargs or "condition_parser" in kwargs:
        raise SuiteFileError(
            f"{where} ({name}): use 'where: <SQL condition>' instead of row_condition."
        )
    meta = _mapping(kwargs.get("meta"), f"{where} ({name}) meta")
    if "severity" in meta:
        level = _severity(meta["severity"], f"{where} ({name}) meta")
    else:
        level = severity or "error"
    meta["severity"] = level
    kwargs["meta"] = meta
    return ExpectationSpec(type=name, kwargs=kwargs, severity=level, where=where_sql, origin=where)


def _expectations(items: Any, where: str) -> list[ExpectationSpec]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise SuiteFileError(f"{where}: 'expectations' must be a list.")
    return [parse_expectation(item, f"{where} #{i + 1}") for i, item in enumerate(items)]


def _sample(value: Any, where: str) -> tuple[int, tuple[str, ...]]:
    sample = _mapping(value, f"{where} sample")
    max_rows = sample.get("max_rows", DEFAULT_MAX_ROWS)
    if not isinstance(max_rows, int) or max_rows < 1:
        raise SuiteFileError(f"{where}: sample.max_rows must be a positive whole number.")
    by = sample.get("by") or []
    if not isinstance(by, list):
        raise SuiteFileError(f"{where}: sample.by must be a list of columns.")
    return max_rows, tuple(str(c) for c in by)


def _relation_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\w+\.\w+", value):
        raise SuiteFileError(f"{where}: 'table' must be '<schema>.<table>', got {value!r}.")
    return value


# Lists a suite file may take from the project instead of writing them out again:
# ``value_set: {project: program_ids}``.
def _project_lists(project_dir: Path) -> dict[str, list[str]]:
    from seller_standing.contract import landing_tables
    from seller_standing.project import marketplace_timezones, programs

    return {
        "program_ids": list(programs(project_dir)),
        "marketplaces": list(marketplace_timezones(project_dir)),
        "landing_tables": [table["name"] for table in landing_tables(project_dir)],
    }


def resolve_project_lists(value: Any, where: str, project_dir: Path) -> Any:
    """``{project: <name>}`` anywhere in ``value`` replaced by that list of the project
    (dbt_project.yml's program registry and marketplaces, the landing contract's tables)."""
    if isinstance(value, Mapping):
        if set(value) == {"project"}:
            lists = _project_lists(project_dir)
            name = value["project"]
            if name not in lists:
                raise SuiteFileError(
                    f"{where}: '{{project: {name}}}' is not a project list; use one of "
                    f"{', '.join(sorted(lists))}."
                )
            return list(lists[name])
        return {k: resolve_project_lists(v, where, project_dir) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_project_lists(v, where, project_dir) for v in value]
    return value


def load_suite_file(path: Path, project_dir: Path) -> list[SuiteSpec]:
    """The suites one file describes (a landing file describes several)."""
    doc = _mapping(_load_yaml(path), str(path))
    doc = resolve_project_lists(doc, str(path), project_dir)
    if "contract" in doc:
        return landing_suites(doc, path, project_dir)
    name = str(doc.get("suite") or path.stem)
    relation = doc.get("table")
    query = doc.get("query")
    if (relation is None) == (query is None):
        raise SuiteFileError(f"{path}: give exactly one of 'table: <schema>.<table>' or 'query:'.")
    if relation is not None:
        relation = _relation_name(relation, str(path))
    derived = {str(k): str(v) for k, v in _mapping(doc.get("derived"), f"{path} derived").items()}
    max_rows, sample_by = _sample(doc.get("sample"), str(path))
    if_absent = str(doc.get("if_absent", "fail"))
    if if_absent not in ("fail", "skip"):
        raise SuiteFileError(f"{path}: if_absent must be 'fail' or 'skip', got {if_absent!r}.")
    expectations = _expectations(doc.get("expectations"), str(path))
    if not expectations:
        raise SuiteFileError(f"{path}: the suite has no expectations.")
    return [
        SuiteSpec(
            name=name,
            group=name,
            source_file=path,
            relation=relation,
            query=query,
            where=doc.get("where"),
            description=str(doc.get("description") or "").strip(),
            derived=derived,
            max_rows=max_rows,
            sample_by=sample_by or _default_sample_by(expectations),
            if_absent=if_absent,
            expectations=tuple(expectations),
        )
    ]


def _default_sample_by(expectations: Iterable[ExpectationSpec]) -> tuple[str, ...]:
    """Sample on the first uniqueness check's columns: duplicates are sampled together."""
    for spec in expectations:
        if spec.type in UNIQUENESS_EXPECTATIONS and not spec.where:
            return tuple(spec.columns())
    return ()


def discover_suite_files(expectations_dir: Path) -> list[Path]:
    if not expectations_dir.is_dir():
        raise SuiteFileError(
            f"No expectations folder at {expectations_dir}: it holds the suite files "
            "(landing.yml, marts/*.yml). Run from the project folder or pass its path."
        )
    files = [*expectations_dir.rglob("*.yml"), *expectations_dir.rglob("*.yaml")]
    # landing first (staging problems explain mart problems), then by path
    return sorted(
        files, key=lambda p: (p.stem != "landing", p.relative_to(expectations_dir).as_posix())
    )


def load_suites(expectations_dir: Path, project_dir: Path) -> list[SuiteSpec]:
    """Every suite of every file under ``expectations_dir``, landing first."""
    suites: list[SuiteSpec] = []
    for path in discover_suite_files(expectations_dir):
        suites.extend(load_suite_file(path, project_dir))
    seen: dict[str, Path] = {}
    for suite in suites:
        if suite.name in seen:
            raise SuiteFileError(
                f"Suite name {suite.name!r} is used by {seen[suite.name]} and {suite.source_file}: "
                "give each file its own 'suite:' name."
            )
        seen[suite.name] = suite.source_file
    return suites


# --- landing: generated from the contract ----------------------------------------------------


@dataclass(frozen=True)
class ContractColumn:
    name: str
    type: str
    required: bool
    values: tuple[Any, ...] | None
    min: float | None
    max: float | None
    pii: bool = False


@dataclass(frozen=True)
class ContractTable:
    name: str
    key: tuple[str, ...]
    columns: tuple[ContractColumn, ...]

    def column(self, name: str) -> ContractColumn | None:
        return next((c for c in self.columns if c.name == name), None)


def _meta(item: Mapping[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = dict(item.get("meta") or {})
    meta.update((item.get("config") or {}).get("meta") or {})
    return resolve_meta(meta)


def read_contract(path: Path) -> list[ContractTable]:
    """The landing tables of ``_landing__sources.yml``: columns with their meta, and keys."""
    doc = _mapping(_load_yaml(path), str(path))
    sources = doc.get("sources") or []
    if not sources or not isinstance(sources, list):
        raise SuiteFileError(f"{path}: no 'sources:' list; is this the landing sources file?")
    tables: list[ContractTable] = []
    for table in sources[0].get("tables") or []:
        table_meta = _meta(table)
        columns = []
        for column in table.get("columns") or []:
            meta = _meta(column)
            values = meta.get("values")
            columns.append(
                ContractColumn(
                    name=str(column["name"]),
                    type=str(meta.get("type", "string")),
                    required=bool(meta.get("required", False)),
                    values=tuple(values) if values else None,
                    min=meta.get("min"),
                    max=meta.get("max"),
                    pii=bool(meta.get("pii", False)),
                )
            )
        key = tuple(str(k) for k in table_meta.get("key") or [])
        if not key:
            raise SuiteFileError(f"{path}: landing table {table.get('name')!r} has no meta key.")
        tables.append(ContractTable(name=str(table["name"]), key=key, columns=tuple(columns)))
    if not tables:
        raise SuiteFileError(f"{path}: the landing source declares no tables.")
    return tables


def number_column(name: str) -> str:
    """Name of the numeric copy of a text landing column (ranges compare numbers)."""
    return f"{name} (as number)"


def landed_column(col: ContractColumn) -> str:
    """The column of a load table (``load_landing__<table>``) holding a contract column's text
    as landed: ``_landed_<name>``. Personal data (meta pii) is not copied as landed; its
    staged column is the text trimmed, empty as null, which is how the checks read it anyway."""
    return col.name if col.pii else f"_landed_{col.name}"


def _landing_columns_sql(table: ContractTable) -> dict[str, str]:
    """How the landed text of each contract column is read, as staging reads it: trimmed,
    empty = null, marketplace lower case; plus a numeric copy of each number column that has
    allowed values or a range."""
    sql: dict[str, str] = {}
    for col in table.columns:
        source = quote(landed_column(col))
        if col.pii and col.type != "string":
            source = f"cast({source} as varchar)"
        text = f"nullif(trim({source}), '')"
        sql[col.name] = f"lower({text})" if col.name == "marketplace" else text
    for col in table.columns:
        if col.type in NUMERIC_TYPES and (col.values or col.min is not None or col.max is not None):
            sql[number_column(col.name)] = f"try_cast({sql[col.name]} as double)"
    return sql


def quote(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def _generated_landing(
    table: ContractTable, checks: Mapping[str, str], where: str
) -> list[ExpectationSpec]:
    specs: list[ExpectationSpec] = []

    def add(check: str, name: str, **kwargs: Any) -> None:
        level = checks[check]
        if level != "off":
            specs.append(
                ExpectationSpec(
                    type=name,
                    kwargs={**kwargs, "meta": {"severity": level, "generated_from": "contract"}},
                    severity=level,
                    origin=f"{where} (generated: {check})",
                )
            )

    required = [c.name for c in table.columns if c.required]
    add(
        "required_columns_exist",
        "expect_table_columns_to_match_set",
        column_set=required,
        exact_match=False,
    )
    for name in required:
        add("required_not_null", "expect_column_values_to_not_be_null", column=name)
    for col in table.columns:
        pattern = TYPE_PATTERNS.get(col.type)
        if pattern:
            add("types", "expect_column_values_to_match_regex", column=col.name, regex=pattern)
    for col in table.columns:
        if col.values:
            target = number_column(col.name) if col.type in NUMERIC_TYPES else col.name
            add(
                "allowed_values",
                "expect_column_values_to_be_in_set",
                column=target,
                value_set=list(col.values),
            )
    for col in table.columns:
        if col.min is not None or col.max is not None:
            bounds: dict[str, Any] = {}
            if col.min is not None:
                bounds["min_value"] = col.min
            if col.max is not None:
                bounds["max_value"] = col.max
            add(
                "ranges",
                "expect_column_values_to_be_between",
                column=number_column(col.name),
                **bounds,
            )
    add(
        "key_unique_in_landing",
        "expect_compound_columns_to_be_unique",
        column_list=["marketplace", *table.key],
    )
    return specs


def landing_suites(doc: Mapping[str, Any], path: Path, project_dir: Path) -> list[SuiteSpec]:
    """Suites of the landing file: per table raw landing rows and staged keys, plus quarantine."""
    group = str(doc.get("suite") or "landing")
    contract_path = project_dir / str(doc["contract"])
    tables = read_contract(contract_path)
    known = {t.name for t in tables}
    checks = dict(LANDING_CHECKS)
    for check, level in _mapping(doc.get("generate"), f"{path} generate").items():
        if check not in LANDING_CHECKS:
            raise SuiteFileError(
                f"{path}: generate.{check} is not a check; known: {', '.join(LANDING_CHECKS)}."
            )
        checks[check] = _severity(level, f"{path} generate.{check}", allow_off=True)
    if "landing_schema" in doc:
        raise SuiteFileError(
            f"{path}: landing_schema is gone: the landing checks read the loaded rows "
            "(loaded_table: staging.load_landing__{table}), not the landing files again."
        )
    loaded = str(doc.get("loaded_table", "staging.load_landing__{table}"))
    staged = str(doc.get("staged_table", "staging.base_landing__{table}"))
    staged_where = str(doc.get("staged_where", "_quarantine_reason is null"))
    max_rows, _ = _sample(doc.get("sample"), str(path))
    extras = _mapping(doc.get("tables"), f"{path} tables")
    staged_extras = _mapping(doc.get("staged_tables"), f"{path} staged_tables")
    for name in [*extras, *staged_extras]:
        if name not in known:
            raise SuiteFileError(
                f"{path}: {name!r} is not a landing table of {contract_path.name}; "
                f"known: {', '.join(sorted(known))}."
            )

    suites: list[SuiteSpec] = []
    for table in tables:
        where = f"{path} tables.{table.name}"
        specs = _generated_landing(table, checks, where)
        specs += _expectations(extras.get(table.name), where)
        derived = _landing_columns_sql(table)
        if specs:
            suites.append(
                SuiteSpec(
                    name=f"{group}.{table.name}",
                    group=group,
                    source_file=path,
                    relation=_relation_name(
                        loaded.format(table=table.name), f"{path} loaded_table"
                    ),
                    description=(
                        f"Landing rows of {table.name} as loaded (the text of every landing "
                        "file, parsed once by the build) against the contract."
                    ),
                    derived=derived,
                    max_rows=max_rows,
                    sample_by=("marketplace", *table.key),
                    expectations=tuple(specs),
                    columns_are_derived=True,
                )
            )
        key_columns = [
            f"{k}_utc" if (col := table.column(k)) is not None and col.type == "timestamp" else k
            for k in table.key
        ]
        staged_specs: list[ExpectationSpec] = []
        if checks["key_unique_among_staged"] != "off":
            level = checks["key_unique_among_staged"]
            staged_specs.append(
                ExpectationSpec(
                    type="expect_compound_columns_to_be_unique",
                    kwargs={
                        "column_list": ["marketplace", *key_columns],
                        "meta": {"severity": level, "generated_from": "contract"},
                    },
                    severity=level,
                    origin=f"{path} (generated: key_unique_among_staged)",
                )
            )
        staged_specs += _expectations(staged_extras.get(table.name), f"{path} staged_tables")
        if staged_specs:
            suites.append(
                SuiteSpec(
                    name=f"{group}.{table.name}.staged",
                    group=group,
                    source_file=path,
                    relation=staged.format(table=table.name),
                    where=staged_where,
                    description=f"Staged rows of {table.name} (not quarantined).",
                    max_rows=max_rows,
                    sample_by=("marketplace", *key_columns),
                    expectations=tuple(staged_specs),
                )
            )

    quarantine = _mapping(doc.get("quarantine"), f"{path} quarantine")
    if quarantine:
        specs = _expectations(quarantine.get("expectations"), f"{path} quarantine")
        if specs:
            suites.append(
                SuiteSpec(
                    name=f"{group}.quarantine",
                    group=group,
                    source_file=path,
                    relation=_relation_name(quarantine.get("table"), f"{path} quarantine"),
                    description="Landing rows the build kept aside, with the reason.",
                    max_rows=max_rows,
                    expectations=tuple(specs),
                )
            )
    return suites
