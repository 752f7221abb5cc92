{#- Lineage: the landing source. Rows: only its files not loaded yet (the hook's view
    landing.return_reason_corrections__new_files). -#}
{%- set landing_source = source('landing', 'return_reason_corrections') -%}

with landing as (
    select * from {{ landing_new_files(landing_source) }}
)

{{ load_landing_rows('return_reason_corrections') }}
