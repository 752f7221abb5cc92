{#-
    Schemas are named as the project configures them (`staging`, `intermediate`, `marts`,
    `rules`), in every target, instead of dbt's default `<target schema>_<custom schema>`
    (`main_marts`). Readers, the contract and every query name `marts.<table>`. A node
    without a custom schema goes to the target's schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
