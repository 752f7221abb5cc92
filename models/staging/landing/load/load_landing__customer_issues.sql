{#- Lineage: the landing source. Rows: only its files not loaded yet (the hook's view
    landing.customer_issues__new_files). -#}
{%- set landing_source = source('landing', 'customer_issues') -%}

with landing as (
    select * from {{ landing_new_files(landing_source) }}
)

{{ load_landing_rows('customer_issues') }}
