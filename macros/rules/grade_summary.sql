{#
    How a seller's metrics graded in each period: one row per marketplace, seller_id,
    program_id, period_start and period_end of `metrics_cte` (rows of grade_metrics), with
    the counts a status decision needs and the metrics behind each kind of shortfall
    (comma-separated, sorted; null when there are none):
      rule_version (the latest of its metrics'), metric_count, measurable_count (not insufficient_data), excellent_count,
      needs_improvement_count, fail_count, not_excellent_metrics,
      needs_improvement_metrics, failed_metrics.
    Each program decides its status from these in its own model.
#}
{% macro grade_summary(metrics_cte) %}
    select
        marketplace,
        seller_id,
        program_id,
        period_start,
        period_end,
        max(rule_version) as rule_version,
        count(*) as metric_count,
        count(case when grade != 'insufficient_data' then 1 end) as measurable_count,
        count(case when grade = 'excellent' then 1 end) as excellent_count,
        count(case when grade = 'needs_improvement' then 1 end) as needs_improvement_count,
        count(case when grade = 'fail' then 1 end) as fail_count,
        {{ dbt.listagg(
            "case when grade != 'excellent' then metric_id end", "', '", 'order by metric_id'
        ) }} as not_excellent_metrics,
        {{ dbt.listagg(
            "case when grade = 'needs_improvement' then metric_id end", "', '", 'order by metric_id'
        ) }} as needs_improvement_metrics,
        {{ dbt.listagg(
            "case when grade = 'fail' then metric_id end", "', '", 'order by metric_id'
        ) }} as failed_metrics
    from {{ metrics_cte }}
    group by marketplace, seller_id, program_id, period_start, period_end
{% endmacro %}
