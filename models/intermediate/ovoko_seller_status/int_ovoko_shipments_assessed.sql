{#-
    One row per Ovoko order: was its shipment overdue? The definition in force for the order's
    month (seed ovoko_seller_status__rule_versions) decides:
      - ship_by_time (version 1): shipped after ship_by_at;
      - business_days (version 2): handed to the courier N or more business days after the
        local sale date (weekends and the seller country's holidays are not business days).
    An order not shipped by the time it would be overdue (before evaluation_date) counts as an
    overdue shipment, in the numerator and the denominator. That holds for an order cancelled
    on the seller's side (initiated by the seller, or for a seller-fault reason such as
    seller inactivity) at or after the moment it became overdue: the seller had already
    missed the deadline. An order cancelled before it could become overdue, or cancelled by
    the buyer, the platform or the system for a reason that is not the seller's fault, is no
    shipment. A cancelled order's cancellation moment is its latest cancellation row; with no
    cancellation row it is no shipment. Orders that cannot be assessed yet (or have no
    ship_by_at under version 1) are left out of the rate.
-#}
with orders as (
    select * from {{ ref('stg_landing__orders') }}
    where marketplace = 'ovoko'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

cancellations as (
    select * from {{ ref('stg_landing__cancellations') }}
    where marketplace = 'ovoko'
),

reason_codes as (
    select * from {{ ref('marketplace__reason_codes') }}
    where marketplace = 'ovoko' and event_type = 'cancellation'
),

rule_versions as (
    select * from {{ ref('ovoko_seller_status__rule_versions') }}
),

business_days as (
    select * from {{ ref('int_business_days_indexed') }}
),

order_cancellations as (
    {#- When the order was cancelled (its latest cancellation) and whether on the seller's side. -#}
    select
        cancellations.marketplace,
        cancellations.order_id,
        max(cancellations.cancelled_at_utc) as cancelled_at_utc,
        bool_or(
            cancellations.initiated_by = 'seller'
            or coalesce(reason_codes.reason_class = 'seller_fault', false)
        ) as is_seller_side_cancellation
    from cancellations
    left join reason_codes
        on
            cancellations.reason_code = reason_codes.reason_code
            and {{ in_force('reason_codes', 'cast(cancellations.cancelled_at_utc as date)') }}
    group by cancellations.marketplace, cancellations.order_id
),

orders_local as (
    select
        orders.marketplace,
        orders.seller_id,
        orders.order_id,
        orders.status,
        orders.ordered_at_utc,
        orders.ship_by_at_utc,
        orders.shipped_at_utc,
        order_cancellations.cancelled_at_utc,
        coalesce(order_cancellations.is_seller_side_cancellation, false) as is_seller_side_cancellation,
        sellers.country_code,
        cast({{ utc_to_local('orders.ordered_at_utc', 'sellers.effective_timezone') }} as date) as sale_date,
        cast({{ utc_to_local('order_cancellations.cancelled_at_utc', 'sellers.effective_timezone') }} as date)
            as cancelled_date,
        cast({{ utc_to_local('orders.shipped_at_utc', 'sellers.effective_timezone') }} as date) as shipped_date,
        cast({{ dbt.date_trunc('month', utc_to_local('orders.ordered_at_utc', 'sellers.effective_timezone')) }} as date)
            as order_month
    from orders
    inner join sellers
        on
            orders.marketplace = sellers.marketplace
            and orders.seller_id = sellers.seller_id
    left join order_cancellations
        on
            orders.marketplace = order_cancellations.marketplace
            and orders.order_id = order_cancellations.order_id
),

with_rules as (
    select
        orders_local.*,
        rule_versions.rule_version,
        rule_versions.overdue_method,
        rule_versions.overdue_business_days,
        sale_day.business_day_index as sale_day_index,
        shipped_day.business_day_index as shipped_day_index
    from orders_local
    inner join rule_versions
        on {{ in_force('rule_versions', 'orders_local.order_month') }}
    left join business_days as sale_day
        on
            orders_local.country_code = sale_day.country_code
            and orders_local.sale_date = sale_day.calendar_date
    left join business_days as shipped_day
        on
            orders_local.country_code = shipped_day.country_code
            and orders_local.shipped_date = shipped_day.calendar_date
),

overdue_dates as (
    {#- Version 2: the first local date on which an unshipped order is overdue. -#}
    select
        with_rules.marketplace,
        with_rules.order_id,
        min(business_days.calendar_date) as overdue_from_date
    from with_rules
    inner join business_days
        on
            with_rules.country_code = business_days.country_code
            and business_days.is_business_day
            and business_days.business_day_index = with_rules.sale_day_index + with_rules.overdue_business_days
    where with_rules.overdue_method = 'business_days' and with_rules.shipped_at_utc is null
    group by with_rules.marketplace, with_rules.order_id
),

assessed as (
    select
        with_rules.*,
        overdue_dates.overdue_from_date,
        with_rules.shipped_at_utc is not null as is_shipped,
        case
            when with_rules.overdue_method = 'ship_by_time' and with_rules.shipped_at_utc is not null
                then with_rules.shipped_at_utc > with_rules.ship_by_at_utc
            when with_rules.overdue_method = 'ship_by_time' and with_rules.status = 'cancelled'
                then
                    with_rules.is_seller_side_cancellation
                    and with_rules.cancelled_at_utc > with_rules.ship_by_at_utc
            when with_rules.overdue_method = 'ship_by_time'
                then with_rules.ship_by_at_utc < cast({{ evaluation_date() }} as timestamp)
            when with_rules.shipped_at_utc is not null
                then with_rules.shipped_day_index - with_rules.sale_day_index >= with_rules.overdue_business_days
            when with_rules.status = 'cancelled'
                then
                    with_rules.is_seller_side_cancellation
                    and with_rules.cancelled_date >= overdue_dates.overdue_from_date
            else overdue_dates.overdue_from_date < {{ evaluation_date() }}
        end as is_overdue
    from with_rules
    left join overdue_dates
        on
            with_rules.marketplace = overdue_dates.marketplace
            and with_rules.order_id = overdue_dates.order_id
),

final as (
    select
        marketplace,
        seller_id,
        order_id,
        order_month,
        rule_version,
        overdue_method,
        sale_date,
        shipped_date,
        ship_by_at_utc,
        shipped_at_utc,
        overdue_from_date,
        cancelled_at_utc,
        is_seller_side_cancellation,
        is_shipped,
        coalesce(is_overdue, false) as is_overdue,
        coalesce(
            (is_shipped or is_overdue)
            and (overdue_method = 'business_days' or ship_by_at_utc is not null),
            false
        ) as counts_as_shipment
    from assessed
)

select * from final
