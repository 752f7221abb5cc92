{#
    spark__create_landing_views: the Spark counterpart of duckdb__create_landing_views
    (landing_views__duckdb.sql beside this file), same contract, same output.

    Every landing file becomes its own external table in schema `landing` (Spark's CSV reader:
    header row, comma, double quote doubled to escape, every column text; or Parquet as it
    is), named `<table>__f<n>`. Reading each file on its own keeps its header (files of one
    table may differ in their optional columns) and makes `_source_row` the 1-based data row
    of that file: a file is read by one scan whose row ids grow in file order, so
    row_number() ordered by monotonically_increasing_id() counts the rows as DuckDB does
    (multiLine CSV is never split). Then one view per table, as on DuckDB: every contract
    column as text (absent optional ones null), `_source_file`, `_source_row`, and the file's
    identity as the load models keep it (`_file_size`, `_file_modified`, `_file_hash`: md5 of
    its content, `_load_version`). The load models reload every file on each Spark build
    (macros/portability/landing_loads.sql), so `landing.<table>__new_files` is the same view
    as `landing.<table>`; `landing._landing_files` lists every file, as on DuckDB.

    Spark's listing skips files whose name starts with '_' or '.'; a `.csv.zst` file cannot
    be read (Spark has no zstd codec without native Hadoop libraries): both stop the build.
    Dropping the file tables never deletes a landing file (they are external tables).
#}
{% macro spark__create_landing_views() %}
    {%- set root = landing_raw_dir() -%}
    {%- do run_query('create schema if not exists landing') -%}
    {#- The previous build's objects: two views per landing table, a table per file
        (`__f<n>`), the files and notes tables. -#}
    {%- set views = [] -%}
    {%- for row in run_query('show views in landing') if not row[2] -%}
        {%- do views.append(row[1]) -%}
    {%- endfor -%}
    {%- for row in run_query('show tables in landing') if not row[2] -%}
        {%- if row[1] in views -%}
            {%- do run_query('drop view if exists landing.' ~ adapter.quote(row[1])) -%}
        {%- elif '__f' in row[1] or row[1] in ('_load_notes', '_landing_files') -%}
            {%- do run_query('drop table if exists landing.' ~ adapter.quote(row[1])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('create table landing.' ~ adapter.quote('_landing_files') ~ ' (table_name string, '
        ~ 'source_file string, file_size bigint, file_modified string, file_hash string, '
        ~ 'load_version string) using parquet') -%}
    {#- Every file under the table folders, with its size, modification time and content hash. -#}
    {%- set listing = run_query(
        "select path, length, cast(modificationTime as string), md5(content) from binaryFile.`"
        ~ root ~ "/*/*` order by path"
    ) -%}
    {%- set notes = [] -%}
    {%- for node in landing_tables() -%}
        {%- set table_meta = landing_meta(node) -%}
        {%- set columns = landing_columns(node) -%}
        {%- set folder = root ~ '/' ~ node.name -%}
        {%- set version = landing_load_version(node, columns, table_meta) -%}
        {%- set selects = [] -%}
        {%- set files = [] -%}
        {%- for row in listing -%}
            {%- set path = row[0].replace('file://', '').replace('file:', '') -%}
            {%- if path.startswith(folder ~ '/') and '/' not in path[folder | length + 1:] and landing_file_kind(path) -%}
                {%- set rel = path[root | length + 1:] -%}
                {%- if row[1] == 0 -%}
                    {%- do notes.append(rel ~ ': empty file (0 bytes), read as no rows') -%}
                {%- else -%}
                    {%- set file_table = 'landing.' ~ node.name ~ '__f' ~ (selects | length) -%}
                    {%- set file = {'size': row[1], 'modified': row[2], 'hash': row[3]} -%}
                    {%- do files.append("(" ~ sql_string(node.name) ~ ", " ~ sql_string(rel) ~ ", "
                        ~ row[1] ~ ", " ~ sql_string(row[2]) ~ ", " ~ sql_string(row[3]) ~ ", "
                        ~ sql_string(version) ~ ")") -%}
                    {%- do selects.append(spark_landing_file_select(
                        node, columns, path, rel, file_table, notes, file, version)) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do require_landing_files(node, table_meta, folder, selects | length) -%}
        {%- if selects | length == 0 -%}
            {%- do selects.append(landing_no_rows(columns, 'string')) -%}
        {%- endif -%}
        {%- if files -%}
            {%- do run_query('insert into landing.' ~ adapter.quote('_landing_files') ~ ' values '
                ~ files | join(', ')) -%}
        {%- endif -%}
        {%- do run_query('create or replace view landing.' ~ node.name ~ ' as\n'
            ~ selects | join('\nunion all\n')) -%}
        {%- do run_query('create or replace view landing.' ~ node.name ~ '__new_files as\n'
            ~ selects | join('\nunion all\n')) -%}
    {%- endfor -%}
    {%- do run_query('create table landing.' ~ adapter.quote('_load_notes') ~ ' (note string) using parquet') -%}
    {%- for note in notes -%}
        {{ log('landing: ' ~ note, info=true) }}
        {%- do run_query('insert into landing.' ~ adapter.quote('_load_notes') ~ ' values (' ~ sql_string(note) ~ ')') -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{% macro spark_landing_file_select(node, columns, path, rel, file_table, notes, file, version) %}
    {#- One file of a landing table as an external table: check its header, return its select. -#}
    {%- set is_csv = landing_file_kind(path) == 'csv' -%}
    {%- if (path | lower).endswith('.zst') -%}
        {{ exceptions.raise_compiler_error(
            "Landing file " ~ rel ~ " is zstd-compressed, which the Spark build cannot read. "
            ~ "Decompress it (`zstd -d`) or export it as .csv.gz or Parquet."
        ) }}
    {%- endif -%}
    {%- if is_csv -%}
        {%- do run_query('create table ' ~ file_table ~ ' using csv options ('
            ~ "path " ~ sql_string(path) ~ ", header 'true', inferSchema 'false', sep ',', "
            ~ "quote '\"', escape '\"', multiLine 'true', mode 'PERMISSIVE', encoding 'UTF-8')") -%}
    {%- else -%}
        {%- do run_query('create table ' ~ file_table ~ ' using parquet options (path ' ~ sql_string(path) ~ ')') -%}
    {%- endif -%}
    {%- set header_names = run_query('select * from ' ~ file_table ~ ' limit 0').column_names | list -%}
    {%- set present = {} -%}
    {%- for name in header_names -%}
        {%- do present.update({name.replace('\ufeff', '').strip().strip('"').strip() | lower: name}) -%}
    {%- endfor -%}
    {%- if is_csv and header_names | length == 1 -%}
        {%- for separator, label in [(';', "';'"), ('\t', 'tabs'), ('|', "'|'")] -%}
            {%- if separator in header_names[0] -%}
                {{ exceptions.raise_compiler_error(
                    "Landing file " ~ rel ~ " is separated by " ~ label ~ ", the contract needs ','"
                    ~ " (comma-separated values with a header row). Its header line is: " ~ header_names[0][:200]
                    ~ ". Export it again as comma-separated CSV (in spreadsheet tools: 'CSV UTF-8 "
                    ~ "(Comma delimited)'), or move the file out of the landing folder."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do check_landing_header(node, columns, present, rel, notes) -%}
    {%- set cols_sql = [] -%}
    {%- for name, meta in columns -%}
        {%- if name in present -%}
            {%- do cols_sql.append('cast(' ~ adapter.quote(present[name]) ~ ' as string) as ' ~ adapter.quote(name)) -%}
        {%- else -%}
            {%- do cols_sql.append('cast(null as string) as ' ~ adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- Spark reads an empty CSV field as null, DuckDB (here) as '': the staging models treat
        both as missing. A line holding only spaces has a blank first field and nothing else. -#}
    {%- set blank = 'false' -%}
    {%- if is_csv -%}
        {%- set blank = trim_text(adapter.quote(header_names[0])) ~ ' = \'\'' -%}
        {%- for name in header_names[1:] -%}{%- set blank = blank ~ ' and ' ~ adapter.quote(name) ~ ' is null' -%}{%- endfor -%}
    {%- endif -%}
    {%- set identity = ', cast(' ~ file['size'] ~ ' as bigint) as _file_size, '
        ~ sql_string(file['modified']) ~ ' as _file_modified, ' ~ sql_string(file['hash'])
        ~ ' as _file_hash, ' ~ sql_string(version) ~ ' as _load_version' -%}
    {{ return('select ' ~ cols_sql | join(', ') ~ ', ' ~ sql_string(rel) ~ ' as _source_file, _source_row'
        ~ identity ~ ' from (select *, cast(row_number() over (order by monotonically_increasing_id()) as bigint) as _source_row, '
        ~ 'coalesce(' ~ blank ~ ', false) as _blank_line from ' ~ file_table ~ ') where not _blank_line') }}
{% endmacro %}
