{#- Lineage: the landing source. Rows: only its files not loaded yet (the hook's view
    landing.css_ratings__new_files). -#}
{%- set landing_source = source('landing', 'css_ratings') -%}

with landing as (
    select * from {{ landing_new_files(landing_source) }}
)

{{ load_landing_rows('css_ratings') }}
