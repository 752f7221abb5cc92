{#- Every program's graded metrics, one row per seller, program, metric and period. -#}
{%- set program_metrics = program_models('metrics') -%}

{%- set columns = [
    'marketplace', 'seller_id', 'program_id', 'metric_id', 'period_start', 'period_end', 'numerator',
    'denominator', 'value', 'grade', 'bar_value', 'headroom', 'rule_version',
] -%}

with
{{ union_program_models(program_metrics, columns) }},

final as (
    select
        marketplace,
        seller_id,
        program_id,
        metric_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        {#- 9 decimals: sums of doubles (review weights, hours) may differ in the last bit
            between runs; rounded, a rebuild of the same data is identical. -#}
        cast(round(numerator, 9) as double) as numerator,
        cast(round(denominator, 9) as double) as denominator,
        cast(round(value, 9) as double) as value,
        grade,
        cast(bar_value as double) as bar_value,
        cast(headroom as bigint) as headroom,
        rule_version
    from unioned
)

select * from final
