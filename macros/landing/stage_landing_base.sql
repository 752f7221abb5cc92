{#
    Staging a landing table happens in two models.

    load_landing__<table> (load_landing_rows) parses the files of the landing view once and
    appends their rows, typed against the contract, to an incremental table: every contract
    column typed (timestamps as `<name>_utc` and `<name>_local`, the wall-clock time of the
    marketplace), the text as landed (`_landed_<name>`, personal data left out), the file and
    row it came from, the file's size and content hash, and what breaks the contract within
    the row itself (`_column_violation`, `_row_check_violation`). A file already loaded (same
    path, size and content hash) is not in the landing view, so it is never parsed again.

    base_landing__<table> (stage_landing_base) holds every loaded row with
    `_quarantine_reason`: null for a good row, else why it breaks the contract (the row's own
    violations, a reference to a row that is not staged, or a key superseded by a later
    export). `_original_values`, the row as landed as JSON, is built for quarantined rows only.

    On DuckDB the base model is incremental: a run restages only the loaded rows whose reason
    can have changed (restage_landing_base, its pre-hook), and keeps every other row as it is.
    On Spark it is a table, resolved over all loaded rows on every run.
#}
{% macro load_landing_rows(table_name) %}
    {%- if not execute -%}
        select * from landing
        {{- return('') -}}
    {%- endif -%}
    {%- set node = landing_table(table_name) -%}
    {%- set columns = landing_columns(node) -%}
    {%- set table_meta = landing_meta(node) -%}
    {%- set tz = marketplace_timezone('marketplace') -%}
    {%- set non_pii_columns = [] -%}
    {%- for name, meta in columns if not meta.get('pii') -%}
        {%- do non_pii_columns.append(name) -%}
    {%- endfor -%}
, cleaned as (
    select
        _source_file,
        _source_row,
        _file_size,
        _file_modified,
        _file_hash,
        _load_version,
        {#- the text as landed, kept for the JSON of quarantined rows; personal data (meta pii)
            is left out of the copy that reaches the quarantine mart -#}
        {%- for name in non_pii_columns %}
        {{ adapter.quote(name) }} as {{ adapter.quote('_landed_' ~ name) }},
        {%- endfor %}
        {%- for name, meta in columns %}
        {%- if name == 'marketplace' %}
        lower(nullif({{ trim_text('marketplace') }}, '')) as marketplace{{ "," if not loop.last }}
        {%- else %}
        nullif({{ trim_text(adapter.quote(name)) }}, '') as {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from landing
),

typed as (
    select
        _source_file,
        _source_row,
        _file_size,
        _file_modified,
        _file_hash,
        _load_version,
        {%- for name in non_pii_columns %}
        {{ adapter.quote('_landed_' ~ name) }},
        {%- endfor %}
        {%- for name, meta in columns %}
        {%- set type = meta.get('type', 'string') %}
        {%- if type == 'timestamp' %}
        {{ text_to_utc(name, tz) }} as {{ name }}_utc,
        case
            when {{ name }} is not null and not {{ text_has_offset(name) }}
                then {{ try_cast_to(name, 'timestamp') }}
        end as _{{ name }}_naive,
        {%- elif type == 'integer' %}
        {{ text_to_integer(name) }} as {{ name }},
        {%- elif type == 'decimal' %}
        {{ try_cast_to(name, 'decimal(18, 4)') }} as {{ name }},
        {%- elif type == 'date' %}
        {{ try_cast_to(name, 'date') }} as {{ name }},
        {%- elif type == 'boolean' %}
        case lower({{ name }}) when 'true' then true when 'false' then false end as {{ name }},
        {%- else %}
        {{ name }},
        {%- endif %}
        {{ name }} as _{{ name }}_text,
        {%- endfor %}
        {{ tz }} as _marketplace_timezone
    from cleaned
),

{#- each local time computed once: the daylight-saving check and the output both use it -#}
localized as (
    select
        *{% for name, meta in columns if meta.get('type') == 'timestamp' %},
        {{ utc_to_local(name ~ '_utc', '_marketplace_timezone') }} as {{ name }}_local
        {%- endfor %}
    from typed
),

checked as (
    select
        *,
        nullif(concat_ws('; ',
            {%- for name, meta in columns %}
            {%- set type = meta.get('type', 'string') %}
            {%- set parsed = name ~ '_utc' if type == 'timestamp' else name %}
            {%- if meta.get('required') %}
            case when _{{ name }}_text is null then 'missing required {{ name }}' end,
            {%- endif %}
            {%- if type != 'string' %}
            case
                when _{{ name }}_text is not null and {{ parsed }} is null
                    then '{{ name }} is not a valid {{ type }}: ' || _{{ name }}_text
            end,
            {%- endif %}
            {%- if type == 'timestamp' %}
            case
                when _{{ name }}_naive is not null
                    and {{ name }}_local != _{{ name }}_naive
                    then '{{ name }} ' || _{{ name }}_text || ' does not exist in ' || _marketplace_timezone
                        || ' (skipped by a daylight-saving change); export it with its UTC offset'
            end,
            {%- endif %}
            {%- if meta.get('values') %}
            case
                when _{{ name }}_text is not null
                    and {{ parsed }} not in ({% for v in meta['values'] %}'{{ v }}'{{ ", " if not loop.last }}{% endfor %})
                    then '{{ name }} ''' || _{{ name }}_text || ''' is not one of {{ meta['values'] | join(', ') }}'
            end,
            {%- endif %}
            {%- if meta.get('min') is not none %}
            case
                when {{ parsed }} < {{ meta['min'] }}
                    then '{{ name }} ' || _{{ name }}_text || ' is below {{ meta['min'] }}'
            end,
            {%- endif %}
            {%- if meta.get('max') is not none %}
            case
                when {{ parsed }} > {{ meta['max'] }}
                    then '{{ name }} ' || _{{ name }}_text || ' is above {{ meta['max'] }}'
            end,
            {%- endif %}
            {%- if meta.get('timezone') %}
            case
                when {{ name }} is not null and not {{ is_known_timezone(name) }}
                    then '{{ name }} ''' || {{ name }} || ''' is not a known IANA time zone'
            end,
            {%- endif %}
            {%- endfor %}
            cast(null as {{ dbt.type_string() }})
        ), '') as _column_violation,
        nullif(concat_ws('; ',
            {%- for check in table_meta.get('row_checks', []) %}
            case when not ({{ check['expr'] }}) then {{ sql_string(check['reason']) }} end,
            {%- endfor %}
            cast(null as {{ dbt.type_string() }})
        ), '') as _row_check_violation
    from localized
),

final as (
    select
        _source_file,
        _source_row,
        _file_size,
        _file_modified,
        _file_hash,
        _load_version,
        {%- for name in non_pii_columns %}
        {{ adapter.quote('_landed_' ~ name) }},
        {%- endfor %}
        {%- for name, meta in columns %}
        {%- if meta.get('type') == 'timestamp' %}
        {{ name }}_utc,
        {{ name }}_local,
        {%- else %}
        {{ name }},
        {%- endif %}
        {%- endfor %}
        _column_violation,
        _row_check_violation
    from checked
)

select * from final
{% endmacro %}


{#
    The body of a staging base model: every loaded row of one landing table (CTE `loaded`,
    from its load_landing__ model) with `_quarantine_reason`, resolved over all loaded rows.
#}
{% macro stage_landing_base(table_name) %}
    {%- if not execute -%}
        select * from loaded
        {{- return('') -}}
    {%- endif -%}
    {%- set node = landing_table(table_name) -%}
    {%- set columns = landing_columns(node) -%}
    {%- set table_meta = landing_meta(node) -%}
    {%- set key = table_meta['key'] -%}
    {%- set key_columns = landing_key_columns(node) -%}
    {%- set non_pii_columns = [] -%}
    {%- for name, meta in columns if not meta.get('pii') -%}
        {%- do non_pii_columns.append(name) -%}
    {%- endfor -%}
    {%- set has_exported_at = columns | map(attribute=0) | select('equalto', '_exported_at') | list | length > 0 -%}
{%- set loaded_relation = ref('load_landing__' ~ table_name) %}
{%- set restaging = is_incremental() %}
{%- set restage = landing_restage_relation() %}
, checked as (
    select
        loaded.*,
        {{ landing_contract_violation(table_meta, 'loaded') }} as _contract_violation,
        {{ landing_missing_references(table_meta, 'loaded') }} as _missing_references
    from loaded
    {%- if restaging %}
    {#- an incremental run: only the rows its pre-hook chose (every row of each key among them) #}
    inner join {{ restage }} as restage
        on
            loaded._source_file = restage._source_file
            and loaded._source_row = restage._source_row
    {%- endif %}
    {{- landing_reference_joins(table_meta, 'loaded') }}
),

{#- The latest export of a key wins among the rows that meet the contract. Only keys loaded
    more than once need ranking: a narrow aggregate finds them, the window sorts their rows
    alone (a few columns, read from the load table again), and every other row ranks 1.
    Sorting every row, some fifty columns wide, spilled tens of GB at 100 M orders; so does a
    wide CTE referenced twice (DuckDB materialises it), hence `loaded` and `checked` are each
    read once. Key columns are required: a row with a null key is quarantined whatever its
    rank. -#}
repeated_keys as (
    select
        marketplace{% for k in key_columns %},
        {{ k }}{% endfor %}
    from {{ loaded_relation }}
    {%- if restaging %}
    inner join {{ restage }} as restage using (_source_file, _source_row)
    {%- endif %}
    where
        marketplace is not null{% for k in key_columns %}
        and {{ k }} is not null{% endfor %}
    group by
        marketplace{% for k in key_columns %},
        {{ k }}{% endfor %}
    having count(*) > 1
),

repeated_rows as (
    select
        repeated._source_file,
        repeated._source_row,
        repeated.marketplace,
        {%- for k in key_columns %}
        repeated.{{ k }},
        {%- endfor %}
        {%- if has_exported_at %}
        repeated._exported_at_utc,
        {%- endif %}
        {{ landing_contract_violation(table_meta, 'repeated') }} is null as _meets_contract
    from {{ loaded_relation }} as repeated
    inner join repeated_keys
        on
            repeated.marketplace = repeated_keys.marketplace
            {%- for k in key_columns %}
            and repeated.{{ k }} = repeated_keys.{{ k }}
            {%- endfor %}
    {{- landing_reference_joins(table_meta, 'repeated') }}
),

export_ranks as (
    select
        _source_file,
        _source_row,
        row_number() over (
            partition by
                _meets_contract,
                marketplace{% for k in key_columns %}, {{ k }}{% endfor %}
            order by
                {% if has_exported_at %}_exported_at_utc desc nulls last, {% endif %}
                _source_file desc,
                _source_row desc
        ) as _export_rank
    from repeated_rows
),

ranked as (
    select
        checked.*,
        coalesce(export_ranks._export_rank, 1) as _export_rank
    from checked
    left join export_ranks
        on
            checked._source_file = export_ranks._source_file
            and checked._source_row = export_ranks._source_row
),

reasoned as (
    select
        *,
        coalesce(
            _contract_violation,
            case
                when _export_rank > 1
                    then 'duplicate key: superseded by a later export of the same '
                        || '{{ key | join(", ") }}'
            end
        ) as _quarantine_reason
    from ranked
),

final as (
    select
        _source_file,
        _source_row,
        _file_hash,
        _load_version,
        {#- the row as landed, as JSON: built for quarantined rows only (a few in a thousand) -#}
        case
            when _quarantine_reason is not null
                then {{ json_object_of(non_pii_columns, '_landed_') }}
        end as _original_values,
        {%- for name, meta in columns %}
        {%- if meta.get('type') == 'timestamp' %}
        {{ name }}_utc,
        {{ name }}_local,
        {%- else %}
        {{ name }},
        {%- endif %}
        {%- endfor %}
        _missing_references,
        _quarantine_reason
    from reasoned
)

select * from final
{% endmacro %}


{#
    The key columns of a landing table (meta key) as loaded: a timestamp key is its `_utc`
    column. Key columns must be required, so a row with a null key is always quarantined.
#}
{% macro landing_key_columns(node) %}
    {%- set columns = landing_columns(node) -%}
    {%- set key_columns = [] -%}
    {%- for k in landing_meta(node)['key'] -%}
        {%- set meta = columns | selectattr(0, 'equalto', k) | map(attribute=1) | first -%}
        {%- if not meta.get('required') -%}
            {{ exceptions.raise_compiler_error('landing table ' ~ node.name ~ ': key column ' ~ k ~ ' must be required (meta required: true)') }}
        {%- endif -%}
        {%- do key_columns.append(k ~ '_utc' if meta.get('type') == 'timestamp' else k) -%}
    {%- endfor -%}
    {{ return(key_columns) }}
{% endmacro %}


{# Output columns of a staged landing table (what stg_ models select), in contract order. #}
{% macro landing_staged_columns(table_name, exclude=[]) %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for name, meta in landing_columns(landing_table(table_name)) if name not in exclude -%}
            {%- if meta.get('type') == 'timestamp' -%}
                {%- do names.append(name ~ '_utc') -%}
                {%- do names.append(name ~ '_local') -%}
            {%- else -%}
                {%- do names.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}


{# The body of a stg_ model: the good rows of its base model (CTE `base`), contract columns. #}
{% macro select_staged_rows(table_name) %}
, final as (
    select
        {%- for column in landing_staged_columns(table_name) %}
        {{ column }},
        {%- endfor %}
        {%- if table_name == 'sellers' %}
        coalesce(timezone, {{ marketplace_timezone('marketplace') }}) as effective_timezone,
        {%- endif %}
        _source_file,
        _source_row
    from base
    where _quarantine_reason is null
)

select * from final
{% endmacro %}


{#
    Rows of a landing table must point at a staged row of each table its meta `references`
    names: a left join per reference to that table's staged keys (alias <table>_keys), and the
    contract violation of a loaded row (alias `alias`): its own violations and every reference
    it breaks, joined by '; ', null when it meets the contract.
#}
{% macro landing_reference_joins(table_meta, alias) %}
    {%- for reference in table_meta.get('references', []) %}
    {#- a key has at most one staged row (the latest export that meets the contract): a
        reference to the whole key needs no distinct -#}
    {%- set referenced_key = landing_meta(landing_table(reference['table']))['key'] %}
    left join (
        select{{ '' if reference['columns'] | sort == referenced_key | sort else ' distinct' }}
            marketplace,
            {{ reference['columns'] | join(', ') }}
        from {{ ref('base_landing__' ~ reference['table']) }}
        where _quarantine_reason is null
    ) as {{ reference['table'] }}_keys
        on
            {{ alias }}.marketplace = {{ reference['table'] }}_keys.marketplace
            {%- for column in reference['columns'] %}
            and {{ alias }}.{{ column }} = {{ reference['table'] }}_keys.{{ column }}
            {%- endfor %}
    {%- endfor %}
{% endmacro %}

{% macro landing_contract_violation(table_meta, alias) %}
    nullif(concat_ws('; ',
            {{ alias }}._column_violation,
            {%- for reference in table_meta.get('references', []) %}
            case
                when {{ landing_reference_missing(reference, alias) }}
                    then 'no {{ reference['table'] }} row with this {{ reference['columns'] | join(', ') }}: '
                        || {% for column in reference['columns'] %}{{ alias }}.{{ column }}{{ " || ', ' || " if not loop.last }}{% endfor %}
            end,
            {%- endfor %}
            {{ alias }}._row_check_violation
        ), '')
{%- endmacro %}


{# SQL condition: the row (alias) names a reference that has no staged row (after
   landing_reference_joins). A null reference column is a missing value, not a broken
   reference. #}
{% macro landing_reference_missing(reference, alias) -%}
    {{ reference['table'] }}_keys.marketplace is null
    {%- for column in reference['columns'] %} and {{ alias }}.{{ column }} is not null{% endfor %}
{%- endmacro %}


{# The tables a row (alias) references without a staged row there, joined by ', '; null when
   none. Stored in the base model, so a later run sees which rows' references changed. #}
{% macro landing_missing_references(table_meta, alias) -%}
    nullif(concat_ws(', ',
        {%- for reference in table_meta.get('references', []) %}
        case when {{ landing_reference_missing(reference, alias) }} then '{{ reference['table'] }}' end,
        {%- endfor %}
        cast(null as {{ dbt.type_string() }})
    ), '')
{%- endmacro %}
