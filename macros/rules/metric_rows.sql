{#
    One program's metric rows from a CTE with one row per seller and period (marketplace,
    seller_id, period_start, period_end and the counts the metrics are made of): a select per
    metric, unioned, ready for grade_metrics. Each metric is a dict:
      - metric_id;
      - numerator: a column or expression of the CTE;
      - denominator: the same, or none for a count or a score (denominator null);
      - value (optional): the value when it is not numerator / denominator (a score, a mean
        rounded upstream); by default numerator / denominator, null when the denominator is 0,
        and the numerator itself when there is no denominator.
#}
{% macro metric_rows(counts_cte, program_id, metrics) %}
    {%- for metric in metrics %}
    select
        marketplace,
        seller_id,
        '{{ program_id }}' as program_id,
        '{{ metric.metric_id }}' as metric_id,
        period_start,
        period_end,
        cast({{ metric.numerator }} as double) as numerator,
        cast({{ metric.denominator or 'null' }} as double) as denominator,
        {%- if metric.value is defined %}
        cast({{ metric.value }} as double) as value
        {%- elif metric.denominator %}
        cast({{ metric.numerator }} as double) / nullif({{ metric.denominator }}, 0) as value
        {%- else %}
        cast({{ metric.numerator }} as double) as value
        {%- endif %}
    from {{ counts_cte }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{% endmacro %}
