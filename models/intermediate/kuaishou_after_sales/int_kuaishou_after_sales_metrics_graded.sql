{#-
    Kuaishou after-sales metrics per seller and complete local month of the request, graded
    pass / fail against kuaishou_after_sales__metric_bars. See docs block
    kuaishou_after_sales_metrics_graded.
-#}
{%- set request_local_date = 'cast(' ~ utc_to_local(
    'requests_measured.requested_at_utc',
    'seller_months.effective_timezone',
) ~ ' as date)' -%}
with requests as (
    select * from {{ ref('int_kuaishou_requests_assessed') }}
),

seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'kuaishou'
),

requests_measured as (
    select
        marketplace,
        seller_id,
        requested_at_utc,
        case when handled_late then 1 else 0 end as is_late,
        case when has_merchant_liable_dispute then 1 else 0 end as is_merchant_disputed,
        case
            when
                request_type in ('refund_only_unshipped', 'refund_only_shipped')
                and not excluded_from_duration_metrics
                then completion_hours
        end as refund_only_hours,
        case
            when request_type = 'return_refund' and not excluded_from_duration_metrics
                then completion_hours
        end as return_refund_hours
    from requests
),

monthly_counts as (
    select
        seller_months.marketplace,
        seller_months.seller_id,
        seller_months.period_start,
        seller_months.period_end,
        cast(count(requests_measured.seller_id) as bigint) as requests,
        cast(coalesce(sum(requests_measured.is_late), 0) as bigint) as late_requests,
        cast(coalesce(sum(requests_measured.is_merchant_disputed), 0) as bigint) as merchant_disputed_requests,
        -- hours summed exactly: the same requests give the same sum in any order
        cast(
            coalesce({{ exact_sum('requests_measured.refund_only_hours') }}, 0) as double
        ) as refund_only_hours,
        cast(count(requests_measured.refund_only_hours) as bigint) as refund_only_measured,
        cast(
            coalesce({{ exact_sum('requests_measured.return_refund_hours') }}, 0) as double
        ) as return_refund_hours,
        cast(count(requests_measured.return_refund_hours) as bigint) as return_refund_measured
    from seller_months
    left join requests_measured
        on
            seller_months.marketplace = requests_measured.marketplace
            and seller_months.seller_id = requests_measured.seller_id
            and {{ request_local_date }} >= seller_months.period_start
            and {{ request_local_date }} <= seller_months.period_end
    group by
        seller_months.marketplace,
        seller_months.seller_id,
        seller_months.period_start,
        seller_months.period_end
),

metric_values as (
    {{ metric_rows('monthly_counts', 'kuaishou_after_sales', [
        {'metric_id': 'handling_timeout_rate', 'numerator': 'late_requests', 'denominator': 'requests'},
        {'metric_id': 'refund_only_completion_hours',
         'numerator': 'refund_only_hours', 'denominator': 'refund_only_measured'},
        {'metric_id': 'return_refund_completion_hours',
         'numerator': 'return_refund_hours', 'denominator': 'return_refund_measured'},
        {'metric_id': 'merchant_dispute_rate',
         'numerator': 'merchant_disputed_requests', 'denominator': 'requests'},
    ]) }}
),

{{ grade_metrics('metric_values', 'kuaishou_after_sales__metric_bars') }}

select * from metrics_graded
