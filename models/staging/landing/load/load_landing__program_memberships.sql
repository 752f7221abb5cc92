{#- Lineage: the landing source. Rows: only its files not loaded yet (the hook's view
    landing.program_memberships__new_files). -#}
{%- set landing_source = source('landing', 'program_memberships') -%}

with landing as (
    select * from {{ landing_new_files(landing_source) }}
)

{{ load_landing_rows('program_memberships') }}
