{#- Lineage: the landing source. Rows: only its files not loaded yet (the hook's view
    landing.property_scores__new_files). -#}
{%- set landing_source = source('landing', 'property_scores') -%}

with landing as (
    select * from {{ landing_new_files(landing_source) }}
)

{{ load_landing_rows('property_scores') }}
