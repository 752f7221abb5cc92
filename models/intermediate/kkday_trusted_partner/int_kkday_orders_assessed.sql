{#-
    One row per KKday order: its confirmation deadline and whether it was confirmed in time
    (order_fulfillment_rate), and how it counts in order_cancellation_rate: excluded
    (initiated by the seller for an excused reason class such as weather or force majeure;
    initiated by anyone else, when by the customer or for an excluded reason class), seller
    fault (cancelled by the seller for any other known reason code, whatever the code says
    about the customer, or redeemed before its departure date, cancelled or not), or neither.
    Months are local months of the seller's effective time zone.
-#}
with orders as (
    select * from {{ ref('stg_landing__orders') }}
    where marketplace = 'kkday'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

cancellations as (
    select * from {{ ref('stg_landing__cancellations') }}
    where marketplace = 'kkday'
),

reason_codes as (
    select * from {{ ref('marketplace__reason_codes') }}
    where marketplace = 'kkday' and event_type = 'cancellation'
),

rule_versions as (
    select * from {{ ref('kkday_trusted_partner__rule_versions') }}
),

cancellations_ranked as (
    select
        marketplace,
        order_id,
        cancellation_id,
        cancelled_at_utc,
        initiated_by,
        reason_code,
        row_number() over (
            partition by marketplace, order_id
            order by cancelled_at_utc asc, cancellation_id asc
        ) as cancellation_rank
    from cancellations
),

first_cancellations as (
    select * from cancellations_ranked
    where cancellation_rank = 1
),

orders_localized as (
    select
        orders.marketplace,
        orders.seller_id,
        orders.order_id,
        sellers.effective_timezone,
        orders.status,
        orders.confirm_mode,
        orders.confirm_within_hours,
        orders.confirm_days_before_departure,
        orders.departure_date,
        orders.ordered_at_utc,
        orders.confirmed_at_utc,
        orders.redeemed_at_utc,
        cast(
            {{ dbt.date_trunc('month', utc_to_local('orders.ordered_at_utc', 'sellers.effective_timezone')) }}
            as date
        ) as order_month_start,
        cast(
            {{ utc_to_local('orders.redeemed_at_utc', 'sellers.effective_timezone') }} as date
        ) as redeemed_date_local
    from orders
    inner join sellers
        on
            orders.marketplace = sellers.marketplace
            and orders.seller_id = sellers.seller_id
),

with_deadlines as (
    select
        *,
        case confirm_mode
            when 'instant' then ordered_at_utc
            when 'within_hours'
                then {{ dbt.dateadd('hour', 'confirm_within_hours', 'ordered_at_utc') }}
            when 'before_departure'
                then {{ local_to_utc(
                    'cast(cast(' ~ dbt.dateadd('day', '-1 * confirm_days_before_departure', 'departure_date')
                    ~ ' as date) as timestamp)',
                    'effective_timezone'
                ) }}
        end as confirmation_deadline_utc
    from orders_localized
),

with_deadline_months as (
    select
        *,
        cast(
            {{ dbt.date_trunc('month', utc_to_local('confirmation_deadline_utc', 'effective_timezone')) }}
            as date
        ) as deadline_month_start
    from with_deadlines
),

with_cancellations as (
    select
        with_deadline_months.*,
        first_cancellations.cancellation_id,
        first_cancellations.cancelled_at_utc,
        first_cancellations.initiated_by as cancellation_initiated_by,
        first_cancellations.reason_code as cancellation_reason_code,
        reason_codes.reason_class as cancellation_reason_class
    from with_deadline_months
    left join first_cancellations
        on
            with_deadline_months.marketplace = first_cancellations.marketplace
            and with_deadline_months.order_id = first_cancellations.order_id
    left join reason_codes
        on
            first_cancellations.reason_code = reason_codes.reason_code
            and {{ in_force(
                'reason_codes',
                'cast(' ~ utc_to_local('first_cancellations.cancelled_at_utc', 'with_deadline_months.effective_timezone') ~ ' as date)'
            ) }}
),

with_rules as (
    select
        with_cancellations.*,
        rule_versions.rule_version,
        rule_versions.excluded_cancellation_reason_classes,
        rule_versions.seller_excused_reason_classes
    from with_cancellations
    inner join rule_versions
        on {{ in_force('rule_versions', 'with_cancellations.order_month_start') }}
),

flagged as (
    select
        *,
        coalesce(confirmed_at_utc <= confirmation_deadline_utc, false) as is_confirmed_on_time,
        coalesce(cancelled_at_utc < confirmation_deadline_utc, false) as is_cancelled_before_deadline,
        coalesce(redeemed_date_local < departure_date, false) as is_redeemed_before_departure,
        cancellation_id is not null
        and case
            when cancellation_initiated_by = 'seller'
                then coalesce(
                    {{ dbt.position(
                        "'|' || cancellation_reason_class || '|'",
                        "'|' || seller_excused_reason_classes || '|'"
                    ) }} > 0,
                    false
                )
            else
                cancellation_initiated_by = 'customer'
                or coalesce(
                    {{ dbt.position(
                        "'|' || cancellation_reason_class || '|'",
                        "'|' || excluded_cancellation_reason_classes || '|'"
                    ) }} > 0,
                    false
                )
        end as is_excluded_from_cancellation_rate
    from with_rules
),

final as (
    select
        marketplace,
        seller_id,
        order_id,
        effective_timezone,
        status,
        confirm_mode,
        ordered_at_utc,
        order_month_start,
        confirmation_deadline_utc,
        deadline_month_start,
        confirmed_at_utc,
        is_confirmed_on_time,
        cancellation_id,
        cancelled_at_utc,
        cancellation_initiated_by,
        cancellation_reason_code,
        cancellation_reason_class,
        is_cancelled_before_deadline,
        confirmation_deadline_utc is not null
        and not is_cancelled_before_deadline as is_counted_in_fulfillment,
        departure_date,
        redeemed_at_utc,
        is_redeemed_before_departure,
        is_excluded_from_cancellation_rate,
        not is_excluded_from_cancellation_rate
        and (
            (
                cancellation_initiated_by = 'seller'
                and cancellation_reason_class is not null
            )
            or is_redeemed_before_departure
        ) as is_seller_fault_cancellation,
        rule_version
    from flagged
)

select * from final
