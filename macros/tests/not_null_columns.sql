{#
    Generic test: none of `column_names` holds a null. One query per model instead of one
    not_null node per column (dbt's fixed cost per test node dominates small builds). Fails with
    one row per column that has nulls: the column's name and how many rows are null.

        data_tests:
          - not_null_columns:
              arguments:
                column_names: [seller_id, order_month]
#}
{% test not_null_columns(model, column_names) %}
    with null_counts as (
        select
        {%- for column in column_names %}
            sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    )

    {% for column in column_names -%}
        select
            '{{ column }}' as column_name,
            nulls_{{ loop.index }} as null_rows
        from null_counts
        where nulls_{{ loop.index }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
