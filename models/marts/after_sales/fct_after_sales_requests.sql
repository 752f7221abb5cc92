{#-
    One row per after-sales request (marketplace, request_id): the SLA policy applied, the
    handling deadline, the late flag, the exclusion flag and the completion time
    (docs/contract.md). Timestamps without a suffix are UTC; *_local ones are marketplace time.
-#}
with requests_assessed as (
    select * from {{ ref('int_kuaishou_requests_assessed') }}
),

final as (
    select
        cast(marketplace as {{ dbt.type_string() }}) as marketplace,
        cast(request_id as {{ dbt.type_string() }}) as request_id,
        cast(seller_id as {{ dbt.type_string() }}) as seller_id,
        cast(request_type as {{ dbt.type_string() }}) as request_type,
        cast(requested_at_utc as timestamp) as requested_at,
        cast(handling_deadline_utc as timestamp) as handling_deadline,
        cast(handled_late as boolean) as handled_late,
        cast(sla_policy as {{ dbt.type_string() }}) as sla_policy,
        cast(excluded_from_duration_metrics as boolean) as excluded_from_duration_metrics,
        cast(completion_hours as double) as completion_hours,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(in_campaign as boolean) as in_campaign,
        cast(requested_at_local as timestamp) as requested_at_local,
        cast(trigger_at_utc as timestamp) as trigger_at,
        cast(handling_deadline_local as timestamp) as handling_deadline_local,
        cast(seller_handled_at_utc as timestamp) as seller_handled_at,
        cast(handling_outcome as {{ dbt.type_string() }}) as handling_outcome,
        cast(return_shipping_deadline_utc as timestamp) as return_shipping_deadline,
        cast(receipt_confirm_deadline_utc as timestamp) as receipt_confirm_deadline
    from requests_assessed
)

select * from final
