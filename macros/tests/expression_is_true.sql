{#
    Generic test: `expression` holds on every row (optionally only where `where_clause` holds).
    Fails with the rows where it is false or null.
#}
{% test expression_is_true(model, expression, where_clause=none) %}
    select *
    from {{ model }}
    where
        not coalesce(({{ expression }}), false)
        {%- if where_clause %}
        and ({{ where_clause }})
        {%- endif %}
{% endtest %}
