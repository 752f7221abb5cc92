{# DuckDB: the landing views (see create_landing_views in landing_views.sql) read each file with
   DuckDB's read_csv / read_parquet, in the contract's dialect. #}
{% macro duckdb__create_landing_views() %}
    {%- set root = landing_raw_dir() -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- do run_query('create or replace table landing._landing_files (table_name varchar, '
        ~ 'source_file varchar, file_size bigint, file_modified varchar, file_hash varchar, '
        ~ 'load_version varchar)') -%}
    {#- How the load models read their new files (landing_new_files, copy_landing_text). -#}
    {%- do run_query('create or replace table landing._landing_reads (table_name varchar, '
        ~ 'position integer, copy_sql varchar, select_sql varchar)') -%}
    {%- set notes = [] -%}
    {%- for node in landing_tables() -%}
        {%- set table_meta = landing_meta(node) -%}
        {%- set columns = landing_columns(node) -%}
        {%- set folder = root ~ '/' ~ node.name -%}
        {%- set version = landing_load_version(node, columns, table_meta) -%}
        {%- set loaded = landing_files_loaded(node.name) -%}
        {#- Every file of the folder; the command (preflight.py) has already stopped the build
            on files it cannot read and noted the ones it ignores. -#}
        {%- set listing = run_query(
            "select filename, size, cast(last_modified as varchar) from read_blob("
            ~ sql_string(folder ~ '/*') ~ ") order by filename"
        ) -%}
        {%- set selects = [] -%}
        {%- set all_selects = [] -%}
        {%- set reads = [] -%}
        {%- set files = [] -%}
        {%- for row in listing if landing_file_kind(row[0]) -%}
            {%- set path = row[0] -%}
            {%- set rel = path[root | length + 1:] -%}
            {%- if row[1] == 0 -%}
                {%- do notes.append(rel ~ ': empty file (0 bytes), read as no rows') -%}
            {%- else -%}
                {%- set known = loaded.get(rel) -%}
                {%- if known and known[0] == row[1] and known[1] == row[2] and known[3] == version -%}
                    {%- set file_hash = known[2] -%}
                {%- else -%}
                    {%- set file_hash = run_query(
                        'select md5(content) from read_blob(' ~ sql_string(path) ~ ')').rows[0][0] -%}
                {%- endif -%}
                {%- set file = {'size': row[1], 'modified': row[2], 'hash': file_hash} -%}
                {%- do files.append("(" ~ sql_string(node.name) ~ ", " ~ sql_string(rel) ~ ", "
                    ~ row[1] ~ ", " ~ sql_string(row[2]) ~ ", " ~ sql_string(file_hash) ~ ", "
                    ~ sql_string(version) ~ ")") -%}
                {%- set read = landing_file_select(node, columns, path, rel, notes, file, version,
                    text_table=landing_text_table(node.name, reads | length)) -%}
                {%- do all_selects.append(read['select']) -%}
                {%- if not (known and known[0] == row[1] and known[2] == file_hash and known[3] == version) -%}
                    {%- do selects.append(read['select']) -%}
                    {%- do reads.append("(" ~ sql_string(node.name) ~ ", " ~ (reads | length) ~ ", "
                        ~ (sql_string(read['copy']) if read['copy'] else 'null') ~ ", " ~ sql_string(read['copied_select']) ~ ")") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if files -%}
            {%- do run_query('insert into landing._landing_files values ' ~ files | join(', ')) -%}
        {%- endif -%}
        {%- if reads -%}
            {%- do run_query('insert into landing._landing_reads values ' ~ reads | join(', ')) -%}
        {%- endif -%}
        {%- do require_landing_files(node, table_meta, folder, files | length) -%}
        {%- set no_rows = landing_no_rows(columns, 'varchar') -%}
        {#- landing.<table>: every file (what readers and the quality suites see);
            landing.<table>__new_files: the files its load model has not loaded yet. -#}
        {%- do run_query('create or replace view landing.' ~ node.name ~ ' as\n'
            ~ (all_selects or [no_rows]) | join('\nunion all\n')) -%}
        {%- do run_query('create or replace view landing.' ~ node.name ~ '__new_files as\n'
            ~ (selects or [no_rows]) | join('\nunion all\n')) -%}
    {%- endfor -%}
    {%- do run_query('create or replace table landing._load_notes (note varchar)') -%}
    {%- for note in notes -%}
        {{ log('landing: ' ~ note, info=true) }}
        {%- do run_query('insert into landing._load_notes values (' ~ sql_string(note) ~ ')') -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{% macro landing_compression(path) %}
    {%- set lower = path | lower -%}
    {{ return('gzip' if lower.endswith('.gz') else ('zstd' if lower.endswith('.zst') else 'none')) }}
{% endmacro %}


{#
    The header of a CSV file, as written: its first line read as one text value (no dialect
    sniffing). Stops the build on a file separated by something other than a comma.
#}
{% macro landing_csv_header(path, rel) %}
    {%- set first = run_query(
        "select line from read_csv(" ~ sql_string(path) ~ ", header = false, auto_detect = false, "
        ~ "columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', "
        ~ "strict_mode = false, ignore_errors = true, compression = '" ~ landing_compression(path) ~ "') limit 1"
    ) -%}
    {%- set line = (first.rows[0][0] if first.rows | length > 0 else '') or '' -%}
    {%- if ',' not in line -%}
        {%- for separator, label in [(';', "';'"), ('\t', 'tabs'), ('|', "'|'")] -%}
            {%- if separator in line -%}
                {{ exceptions.raise_compiler_error(
                    "Landing file " ~ rel ~ " is separated by " ~ label ~ ", the contract needs ','"
                    ~ " (comma-separated values with a header row). Its header line is: " ~ line[:200]
                    ~ ". Export it again as comma-separated CSV (in spreadsheet tools: 'CSV UTF-8 "
                    ~ "(Comma delimited)'), or move the file out of the landing folder."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for field in line.split(',') -%}
        {%- do names.append(field.strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}


{#
    Landing CSVs are read with the contract's dialect, never sniffed: comma, double quote
    (doubled to escape), a header row whose names are given as the columns. Every value is text.
    A missing trailing field reads as NULL (nullstr matches no text, so an empty field is '');
    landing_file_select stops on such a short line and drops lines holding only spaces.
#}
{% macro landing_reader(path, header_names=none) %}
    {%- if landing_file_kind(path) == 'parquet' -%}
        read_parquet({{ sql_string(path) }})
    {%- else -%}
        read_csv({{ sql_string(path) }}, header = true, auto_detect = false, delim = ',',
            quote = '"', escape = '"', null_padding = true, nullstr = '\x00none',
            compression = '{{ landing_compression(path) }}',
            columns = { {%- for name in header_names %}{{ sql_string(name) }}: 'VARCHAR'{{ ", " if not loop.last }}{% endfor -%} })
    {%- endif -%}
{% endmacro %}


{#
    One landing file: check its header and return how to read it, a dict of
      select: the file's rows as the landing views show them (read from the file itself);
      copy: for a CSV file, the statement that copies its text rows, in file order, into the
        temporary table `text_table` (none for Parquet);
      copied_select: the same rows as `select`, read from that copy (Parquet: from the file).
    `_source_row` is the 1-based data row of the file. A CSV file's rows have no number of
    their own, so `select` counts them with row_number() over (), which DuckDB runs on one
    thread; the load models read `copied_select` instead: the copy is a plain parallel
    insert that keeps the file's order (insertion order is preserved), so its rowids are
    consecutive in file order and the data row is rowid + 1 - the first rowid (0 once the
    copy is committed; a large provisional number inside the model's open transaction).
    Typing the copy then runs on every thread. Parquet rows carry their number
    (file_row_number), unless the file has a column of that name: then it is numbered as a
    CSV file is (counted in the view, copied for the load).
#}
{% macro landing_file_select(node, columns, path, rel, notes, file, version, text_table) %}
    {%- set is_csv = landing_file_kind(path) == 'csv' -%}
    {%- set present = {} -%}
    {%- if is_csv -%}
        {%- set header_names = landing_csv_header(path, rel) -%}
        {%- for name in header_names -%}
            {%- do present.update({name | lower: name}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set header_names = none -%}
        {%- for row in run_query('describe select * from ' ~ landing_reader(path)) -%}
            {%- do present.update({row[0] | lower: row[0]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do check_landing_header(node, columns, present, rel, notes) -%}
    {%- set cols_sql = [] -%}
    {%- for name, meta in columns -%}
        {%- if name in present and is_csv -%}
            {%- do cols_sql.append('nullif(' ~ adapter.quote(present[name]) ~ ", '') as " ~ adapter.quote(name)) -%}
        {%- elif name in present -%}
            {%- do cols_sql.append('cast(' ~ adapter.quote(present[name]) ~ ' as varchar) as ' ~ adapter.quote(name)) -%}
        {%- else -%}
            {%- do cols_sql.append('cast(null as varchar) as ' ~ adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set identity = ', cast(' ~ file['size'] ~ ' as bigint) as _file_size, '
        ~ sql_string(file['modified']) ~ ' as _file_modified, ' ~ sql_string(file['hash'])
        ~ ' as _file_hash, ' ~ sql_string(version) ~ ' as _load_version' -%}
    {%- set head = 'select ' ~ cols_sql | join(', ') ~ ', ' ~ sql_string(rel) ~ ' as _source_file, ' -%}
    {%- if not is_csv and 'file_row_number' in present -%}
        {#- the file has a column of that name, so DuckDB cannot add its own: number the rows
            as a CSV file's are (the landing view counts them, the load reads a copy's rowid) -#}
        {{ return({
            'select': head ~ '_source_row' ~ identity ~ ' from (select *, row_number() over () as _source_row from '
                ~ landing_reader(path) ~ ')',
            'copy': 'create or replace temporary table ' ~ text_table ~ ' as select * from ' ~ landing_reader(path),
            'copied_select': head ~ '_source_row' ~ identity ~ ' from (select *, rowid + 1 - (select min(rowid) from temp.main.'
                ~ text_table ~ ') as _source_row from temp.main.' ~ text_table ~ ')',
        }) }}
    {%- elif not is_csv -%}
        {%- set select = head ~ '_source_row' ~ identity ~ ' from (select *, file_row_number + 1 as _source_row from '
            ~ 'read_parquet(' ~ sql_string(path) ~ ', file_row_number = true))' -%}
        {{ return({'select': select, 'copy': none, 'copied_select': select}) }}
    {%- endif -%}
    {#- A line holding only spaces: its first field is blank and every other is missing. A line
        with fewer fields than the header (last field missing) stops the build; the command
        turns the marker below into a message with the file's line and field counts. -#}
    {%- set first = adapter.quote(header_names[0]) -%}
    {%- set last = adapter.quote(header_names[-1]) -%}
    {#- (a list, not `set` in the loop: a Jinja loop cannot change a variable outside it) -#}
    {%- set blank_parts = [trim_text(first) ~ ' = \'\''] -%}
    {%- for name in header_names[1:] -%}{%- do blank_parts.append(adapter.quote(name) ~ ' is null') -%}{%- endfor -%}
    {%- set blank = blank_parts | join(' and ') -%}
    {%- set tail = ') where not _blank_line and (' ~ last ~ ' is not null or error('
        ~ sql_string('LANDING_SHORT_ROW file=' ~ rel ~ ' data_row=') ~ ' || _source_row || '
        ~ sql_string(' fields_expected=' ~ header_names | length) ~ '))' -%}
    {%- set body = head ~ '_source_row' ~ identity ~ ' from (select *, ' ~ blank ~ ' as _blank_line, ' -%}
    {{ return({
        'select': body ~ 'row_number() over () as _source_row from ' ~ landing_reader(path, header_names) ~ tail,
        'copy': 'create or replace temporary table ' ~ text_table ~ ' as select * from '
            ~ landing_reader(path, header_names),
        'copied_select': body ~ 'rowid + 1 - (select min(rowid) from temp.main.' ~ text_table
            ~ ') as _source_row from temp.main.' ~ text_table ~ tail,
    }) }}
{% endmacro %}


{# The temporary table a load model copies the text of its `position`-th new CSV file into. #}
{% macro landing_text_table(table_name, position) %}
    {{- return('_landing_text__' ~ table_name ~ '__' ~ position) -}}
{% endmacro %}
