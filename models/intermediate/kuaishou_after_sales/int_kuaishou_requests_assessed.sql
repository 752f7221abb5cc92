{#-
    Kuaishou after-sales requests with the SLA policy applied to each step, its deadline, the
    late flag and the exclusion flag: the request-level table a merchant disputes.
    See docs block kuaishou_requests_assessed for the rules and decisions.
-#}
{%- set trigger_local = dbt.date_trunc(
    'second',
    utc_to_local('step_triggers.step_trigger_at_utc', 'sla_policies.window_timezone'),
) -%}
{%- set requested_local = dbt.date_trunc(
    'second',
    utc_to_local('requests_with_orders.requested_at_utc', 'exclusion_windows.window_timezone'),
) -%}
with requests as (
    select * from {{ ref('stg_landing__after_sales_requests') }}
    where marketplace = 'kuaishou'
),

orders as (
    select * from {{ ref('stg_landing__orders') }}
    where marketplace = 'kuaishou'
),

disputes as (
    select * from {{ ref('stg_landing__disputes') }}
    where marketplace = 'kuaishou'
),

sla_policies as (
    select * from {{ ref('kuaishou_after_sales__sla_policies') }}
),

requests_with_orders as (
    select
        requests.marketplace,
        requests.request_id,
        requests.order_id,
        orders.seller_id,
        coalesce(orders.in_campaign, false) as in_campaign,
        requests.request_type,
        requests.requested_at_utc,
        requests.modified_at_utc,
        case
            when requests.modified_at_utc > requests.requested_at_utc then requests.modified_at_utc
            else requests.requested_at_utc
        end as trigger_at_utc,
        requests.seller_handled_at_utc,
        requests.seller_decision,
        requests.seller_approved_at_utc,
        requests.buyer_shipped_at_utc,
        requests.completed_at_utc,
        requests.completed_by
    from requests
    left join orders
        on
            requests.marketplace = orders.marketplace
            and requests.order_id = orders.order_id
),

step_triggers as (
    select
        marketplace,
        request_id,
        request_type,
        'seller_handling' as step,
        trigger_at_utc as step_trigger_at_utc
    from requests_with_orders

    union all

    select
        marketplace,
        request_id,
        request_type,
        'buyer_return_shipping' as step,
        seller_approved_at_utc as step_trigger_at_utc
    from requests_with_orders
    where seller_approved_at_utc is not null

    union all

    select
        marketplace,
        request_id,
        request_type,
        'auto_confirm_receipt' as step,
        buyer_shipped_at_utc as step_trigger_at_utc
    from requests_with_orders
    where buyer_shipped_at_utc is not null
),

policy_candidates as (
    select
        step_triggers.marketplace,
        step_triggers.request_id,
        step_triggers.step,
        step_triggers.step_trigger_at_utc,
        sla_policies.sla_policy,
        sla_policies.sla_hours,
        row_number() over (
            partition by step_triggers.marketplace, step_triggers.request_id, step_triggers.step
            order by sla_policies.precedence desc, sla_policies.window_start desc, sla_policies.sla_policy asc
        ) as policy_rank
    from step_triggers
    inner join sla_policies
        on
            step_triggers.step = sla_policies.step
            and step_triggers.request_type = sla_policies.request_type
            and (sla_policies.window_start is null or {{ trigger_local }} >= sla_policies.window_start)
            and (sla_policies.window_end is null or {{ trigger_local }} <= sla_policies.window_end)
),

policies_applied as (
    select
        marketplace,
        request_id,
        step,
        step_trigger_at_utc,
        sla_policy,
        sla_hours,
        {{ dbt.dateadd('hour', 'sla_hours', 'step_trigger_at_utc') }} as deadline_utc
    from policy_candidates
    where policy_rank = 1
),

exclusion_windows as (
    select distinct
        sla_policy,
        window_start,
        window_end,
        window_timezone
    from sla_policies
    where excludes_duration_metrics
),

requests_in_exclusion_windows as (
    select
        requests_with_orders.marketplace,
        requests_with_orders.request_id,
        min(exclusion_windows.sla_policy) as exclusion_window
    from requests_with_orders
    inner join exclusion_windows
        on
            (exclusion_windows.window_start is null or {{ requested_local }} >= exclusion_windows.window_start)
            and (exclusion_windows.window_end is null or {{ requested_local }} <= exclusion_windows.window_end)
    group by
        requests_with_orders.marketplace,
        requests_with_orders.request_id
),

merchant_liable_disputes as (
    select
        marketplace,
        request_id,
        cast(count(*) as bigint) as merchant_liable_disputes
    from disputes
    where liability = 'merchant'
    group by marketplace, request_id
),

deadlines as (
    select
        requests_with_orders.*,
        handling.sla_policy,
        handling.sla_hours as handling_sla_hours,
        handling.deadline_utc as handling_deadline_utc,
        return_shipping.sla_policy as return_shipping_sla_policy,
        return_shipping.deadline_utc as return_shipping_deadline_utc,
        receipt_confirm.sla_policy as receipt_confirm_sla_policy,
        receipt_confirm.deadline_utc as receipt_confirm_deadline_utc,
        requests_in_exclusion_windows.exclusion_window,
        coalesce(merchant_liable_disputes.merchant_liable_disputes, 0) as merchant_liable_disputes
    from requests_with_orders
    left join policies_applied as handling
        on
            requests_with_orders.marketplace = handling.marketplace
            and requests_with_orders.request_id = handling.request_id
            and handling.step = 'seller_handling'
    left join policies_applied as return_shipping
        on
            requests_with_orders.marketplace = return_shipping.marketplace
            and requests_with_orders.request_id = return_shipping.request_id
            and return_shipping.step = 'buyer_return_shipping'
    left join policies_applied as receipt_confirm
        on
            requests_with_orders.marketplace = receipt_confirm.marketplace
            and requests_with_orders.request_id = receipt_confirm.request_id
            and receipt_confirm.step = 'auto_confirm_receipt'
    left join requests_in_exclusion_windows
        on
            requests_with_orders.marketplace = requests_in_exclusion_windows.marketplace
            and requests_with_orders.request_id = requests_in_exclusion_windows.request_id
    left join merchant_liable_disputes
        on
            requests_with_orders.marketplace = merchant_liable_disputes.marketplace
            and requests_with_orders.request_id = merchant_liable_disputes.request_id
),

outcomes as (
    select
        *,
        case
            when seller_handled_at_utc is not null and seller_handled_at_utc <= handling_deadline_utc
                then 'handled_on_time'
            when seller_handled_at_utc is not null then 'handled_late'
            when completed_by = 'buyer_withdrew' and completed_at_utc <= handling_deadline_utc
                then 'withdrawn_before_deadline'
            when
                cast({{ utc_to_local('handling_deadline_utc', marketplace_timezone('marketplace')) }} as date)
                < {{ evaluation_date() }}
                then 'not_handled_overdue'
            else 'pending'
        end as handling_outcome,
        completed_at_utc is not null and coalesce(completed_by = 'seller', false) as is_seller_completed
    from deadlines
),

final as (
    select
        marketplace,
        request_id,
        order_id,
        seller_id,
        in_campaign,
        request_type,
        requested_at_utc,
        {{ utc_to_local('requested_at_utc', marketplace_timezone('marketplace')) }} as requested_at_local,
        modified_at_utc,
        trigger_at_utc,
        {{ utc_to_local('trigger_at_utc', marketplace_timezone('marketplace')) }} as trigger_at_local,
        sla_policy,
        handling_sla_hours,
        handling_deadline_utc,
        {{ utc_to_local('handling_deadline_utc', marketplace_timezone('marketplace')) }}
            as handling_deadline_local,
        seller_handled_at_utc,
        seller_decision,
        handling_outcome,
        handling_outcome in ('handled_late', 'not_handled_overdue') as handled_late,
        seller_approved_at_utc,
        return_shipping_sla_policy,
        return_shipping_deadline_utc,
        buyer_shipped_at_utc,
        receipt_confirm_sla_policy,
        receipt_confirm_deadline_utc,
        exclusion_window,
        exclusion_window is not null and not in_campaign as excluded_from_duration_metrics,
        completed_at_utc,
        completed_by,
        is_seller_completed,
        case
            when is_seller_completed
                then cast({{ seconds_between('requested_at_utc', 'completed_at_utc') }} as double) / 3600
        end as completion_hours,
        merchant_liable_disputes,
        merchant_liable_disputes > 0 as has_merchant_liable_dispute
    from outcomes
)

select * from final
