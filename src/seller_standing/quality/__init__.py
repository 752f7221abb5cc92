"""Great Expectations checks of a built warehouse: landing data and every mart.

``run_checks(db_path)`` validates the suites under ``expectations/`` (see its README.md)
against the DuckDB file and returns True only if nothing failed;
``python -m seller_standing.quality DB`` does the same from a shell.

Modules: ``suites`` (reading the suite files; the landing suites generated from the contract,
project lists from the program registry), ``data`` (reading a suite's rows from DuckDB),
``report`` (the console table), ``docs`` (Data Docs that work offline), ``runner`` (Great
Expectations itself, and ``run_checks``).
"""

from seller_standing.quality.runner import (
    QualityError,
    default_project_dir,
    list_suites,
    main,
    run_checks,
)

__all__ = ["QualityError", "default_project_dir", "list_suites", "main", "run_checks"]
