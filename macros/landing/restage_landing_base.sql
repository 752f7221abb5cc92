{#
    Incremental staging (DuckDB; on Spark the base models are tables and these hooks are empty).

    A row's `_quarantine_reason` depends on the row itself, on the other loaded rows of its key
    (the latest export that meets the contract wins) and on whether the rows it references
    are staged. So an incremental run restages every loaded row of each key that:
      - has a row in a file loaded since the base model last ran (a new or changed file, or
        every file after a contract change: the load model reloads them);
      - had a row in a file that is gone since (withdrawn from the load model);
      - has a row whose references changed: the tables it stores in `_missing_references`
        differ from what the referenced base models stage now.
    plus the rows of those three kinds whose key is incomplete (quarantined whatever else).

    The choice is made from the tables as they are, not from what the last run did: a run that
    stopped half way, or built only some models, is caught up by the next one.

    Pre-hook (restage_landing_base): writes the chosen rows' (_source_file, _source_row) to
    `<base model>__restage`, then deletes from the base model those rows and the rows of gone
    files. The model then selects the chosen rows alone (stage_landing_base) and appends them.
    Post-hook (drop_landing_restage): drops the `__restage` table.
#}
{% macro landing_restage_relation() %}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__restage')) }}
{% endmacro %}


{% macro restage_landing_base() %}
    {%- if not execute or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set table_name = this.identifier.replace('base_landing__', '') -%}
    {%- set node = landing_table(table_name) -%}
    {%- set table_meta = landing_meta(node) -%}
    {%- set key_columns = landing_key_columns(node) -%}
    {%- set loaded_relation = ref('load_landing__' ~ table_name) -%}
    {%- set restage = landing_restage_relation() -%}
    {%- set file_version = '(_source_file, _file_hash, _load_version)' -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if '_missing_references' not in existing or '_load_version' not in existing -%}
    {#- a base table made before staging was incremental: restage every row -#}
    create or replace table {{ restage }} as
    select _source_file, _source_row from {{ loaded_relation }};
    delete from {{ this }};
    {%- else %}
    create or replace table {{ restage }} as
    with loaded_files as (
        select distinct _source_file, _file_hash, _load_version from {{ loaded_relation }}
    ),

    staged_files as (
        select distinct _source_file, _file_hash, _load_version from {{ this }}
    ),

    new_rows as (
        select
            _source_file,
            _source_row,
            marketplace{% for k in key_columns %},
            {{ k }}{% endfor %}
        from {{ loaded_relation }}
        where {{ file_version }} in (
            select * from loaded_files
            except
            select * from staged_files
        )
    ),

    gone_rows as (
        select
            marketplace{% for k in key_columns %},
            {{ k }}{% endfor %}
        from {{ this }}
        where {{ file_version }} in (
            select * from staged_files
            except
            select * from loaded_files
        )
    ),

    {#- rows still loaded whose references no longer match what they were staged with #}
    re_referenced_rows as (
        {%- if table_meta.get('references') %}
        select
            staged._source_file,
            staged._source_row,
            staged.marketplace{% for k in key_columns %},
            staged.{{ k }}{% endfor %}
        from {{ this }} as staged
        {{- landing_reference_joins(table_meta, 'staged') }}
        where
            {{ landing_missing_references(table_meta, 'staged') }}
            is distinct from staged._missing_references
            and (staged._source_file, staged._file_hash, staged._load_version)
            in (select * from loaded_files)
        {%- else %}
        select
            _source_file,
            _source_row,
            marketplace{% for k in key_columns %},
            {{ k }}{% endfor %}
        from new_rows
        where false
        {%- endif %}
    ),

    changed_keys as (
        select distinct
            marketplace{% for k in key_columns %},
            {{ k }}{% endfor %}
        from (
            select * exclude (_source_file, _source_row) from new_rows
            union all
            select * from gone_rows
            union all
            select * exclude (_source_file, _source_row) from re_referenced_rows
        ) as changed
        where
            marketplace is not null{% for k in key_columns %}
            and {{ k }} is not null{% endfor %}
    )

    select
        loaded._source_file,
        loaded._source_row
    from {{ loaded_relation }} as loaded
    inner join changed_keys
        on
            loaded.marketplace = changed_keys.marketplace
            {%- for k in key_columns %}
            and loaded.{{ k }} = changed_keys.{{ k }}
            {%- endfor %}
    union
    select _source_file, _source_row from new_rows
    union
    select _source_file, _source_row from re_referenced_rows;

    delete from {{ this }} as staged
    using {{ restage }} as restage
    where
        staged._source_file = restage._source_file
        and staged._source_row = restage._source_row;

    delete from {{ this }}
    where {{ file_version }} not in (
        select distinct _source_file, _file_hash, _load_version from {{ loaded_relation }}
    );
    {%- endif %}
{% endmacro %}


{% macro drop_landing_restage() %}
    {%- if not execute or not is_incremental() -%}{{ return('') }}{%- endif -%}
    drop table if exists {{ landing_restage_relation() }}
{% endmacro %}
