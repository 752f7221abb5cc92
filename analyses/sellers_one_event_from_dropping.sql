{#-
    Ad hoc: in each program's latest period, the seller metrics with no headroom left — one
    more cancellation, late reply, overdue shipment or issue and the grade drops. Compile with
    `dbt compile --select sellers_one_event_from_dropping` and run the SQL against the warehouse.
-#}
with metrics as (
    select * from {{ ref('fct_seller_metrics') }}
),

latest_periods as (
    select
        program_id,
        max(period_start) as period_start
    from metrics
    group by program_id
),

final as (
    select
        metrics.program_id,
        metrics.marketplace,
        metrics.seller_id,
        metrics.metric_id,
        metrics.period_start,
        metrics.numerator,
        metrics.denominator,
        metrics.value,
        metrics.grade,
        metrics.bar_value
    from metrics
    inner join latest_periods
        on
            metrics.program_id = latest_periods.program_id
            and metrics.period_start = latest_periods.period_start
    where metrics.headroom = 0
)

select * from final
order by program_id, marketplace, seller_id, metric_id
