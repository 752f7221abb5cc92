{#
    on-run-start hook: make every landing table of the contract a view in schema `landing`.
    The engines' versions: landing_views__duckdb.sql and landing_views__spark.sql beside this file.

    For each table folder under the landing root it lists the CSV (.csv, .csv.gz, .csv.zst)
    and Parquet files (seller_standing/preflight.py has already stopped on, or noted, every
    other file), checks each file's header against the contract, and unions the files into one view of text
    columns (every contract column, absent optional ones as null) plus `_source_file`
    (path relative to the landing root) and `_source_row` (1-based data row of the file).
    Parsing and type checks happen in the staging load models, so a bad value becomes a
    quarantined row, not a failed load.

    Parse each file once: a file is identified by its path, size and content hash (md5; the
    hash is computed again only when the size or modification time differs from the loaded
    copy's) and by the version of its table's contract. `landing.<table>` shows every file;
    `landing.<table>__new_files`, which the table's load model (load_landing__<table>) reads,
    only those it does not hold yet, so a loaded file is not parsed again. `landing._landing_files` lists every current file,
    so the load model withdraws the rows of files that changed or are gone
    (withdraw_landing_files). With --full-refresh, or before the first load, every file is new.

    Stops the build, naming the file and column and what to do, when:
      - a CSV file is separated by ';', tabs or '|' instead of commas;
      - a required column is missing from a file's header;
      - a table that must have data (sellers, orders) has no files.
    Reports, and otherwise ignores, extra columns and empty (0-byte) files.
#}
{% macro create_landing_views() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('create_landing_views', 'seller_standing')()) }}
{% endmacro %}
