{# Is the rule row `rules` (with valid_from / valid_to, null = open) in force on date_expr? #}
{% macro in_force(rules, date_expr) -%}
    ({{ rules }}.valid_from is null or {{ date_expr }} >= {{ rules }}.valid_from)
    and ({{ rules }}.valid_to is null or {{ date_expr }} <= {{ rules }}.valid_to)
{%- endmacro %}
