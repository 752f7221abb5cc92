{#-
    Ovoko order lines with the items the rules count: ordered, cancelled (any reason, and
    seller-fault), returned for a seller-fault reason. A line belongs to the local month its
    order was placed in. Cancellation and return quantities are capped at the line quantity.
    A return counts unless it was rejected; its reason is the latest correction made while the
    return was still processing (corrections dated after closed_at are ignored).
-#}
with order_lines as (
    select * from {{ ref('int_order_lines_attributed') }}
    where marketplace = 'ovoko'
),

cancellations as (
    select * from {{ ref('stg_landing__cancellations') }}
    where marketplace = 'ovoko'
),

returns as (
    select * from {{ ref('stg_landing__returns') }}
    where marketplace = 'ovoko'
),

corrections as (
    select * from {{ ref('stg_landing__return_reason_corrections') }}
    where marketplace = 'ovoko'
),

reason_codes as (
    select * from {{ ref('marketplace__reason_codes') }}
),

lines_in_months as (
    select
        marketplace,
        seller_id,
        order_id,
        line_id,
        product_id,
        quantity,
        unit_price,
        coalesce(vat_rate, 0) as vat_rate,
        currency,
        ordered_at_utc,
        order_month
    from order_lines
),

cancellations_classified as (
    select
        cancellations.*,
        coalesce(reason_codes.reason_class = 'seller_fault', false) as is_seller_fault
    from cancellations
    left join reason_codes
        on
            cancellations.marketplace = reason_codes.marketplace
            and reason_codes.event_type = 'cancellation'
            and cancellations.reason_code = reason_codes.reason_code
            and {{ in_force('reason_codes', 'cast(cancellations.cancelled_at_utc as date)') }}
),

cancelled_items as (
    {#- A cancellation names a line (all of it, or `quantity` items) or, without line_id, the whole order. -#}
    select
        lines_in_months.marketplace,
        lines_in_months.order_id,
        lines_in_months.line_id,
        sum(
            case
                when cancellations_classified.line_id is null then lines_in_months.quantity
                else coalesce(cancellations_classified.quantity, lines_in_months.quantity)
            end
        ) as cancelled_quantity,
        sum(
            case
                when not cancellations_classified.is_seller_fault then 0
                when cancellations_classified.line_id is null then lines_in_months.quantity
                else coalesce(cancellations_classified.quantity, lines_in_months.quantity)
            end
        ) as seller_fault_cancelled_quantity
    from cancellations_classified
    inner join lines_in_months
        on
            cancellations_classified.marketplace = lines_in_months.marketplace
            and cancellations_classified.order_id = lines_in_months.order_id
            and (
                cancellations_classified.line_id is null
                or cancellations_classified.line_id = lines_in_months.line_id
            )
    group by
        lines_in_months.marketplace,
        lines_in_months.order_id,
        lines_in_months.line_id
),

corrections_in_time as (
    select
        corrections.marketplace,
        corrections.return_id,
        corrections.reason_code,
        row_number() over (
            partition by corrections.marketplace, corrections.return_id
            order by corrections.corrected_at_utc desc, corrections.correction_id desc
        ) as correction_rank
    from corrections
    inner join returns
        on
            corrections.marketplace = returns.marketplace
            and corrections.return_id = returns.return_id
    where returns.closed_at_utc is null or corrections.corrected_at_utc <= returns.closed_at_utc
),

returns_classified as (
    select
        returns.marketplace,
        returns.order_id,
        returns.line_id,
        returns.quantity,
        coalesce(reason_codes.reason_class = 'seller_fault', false) as is_seller_fault
    from returns
    left join corrections_in_time
        on
            returns.marketplace = corrections_in_time.marketplace
            and returns.return_id = corrections_in_time.return_id
            and corrections_in_time.correction_rank = 1
    left join reason_codes
        on
            returns.marketplace = reason_codes.marketplace
            and reason_codes.event_type = 'return'
            and coalesce(corrections_in_time.reason_code, returns.reason_code) = reason_codes.reason_code
            and {{ in_force('reason_codes', 'cast(returns.requested_at_utc as date)') }}
    where returns.status != 'rejected'
),

returned_items as (
    select
        marketplace,
        order_id,
        line_id,
        sum(case when is_seller_fault then quantity else 0 end) as seller_fault_returned_quantity
    from returns_classified
    group by marketplace, order_id, line_id
),

final as (
    select
        lines_in_months.marketplace,
        lines_in_months.seller_id,
        lines_in_months.order_id,
        lines_in_months.line_id,
        lines_in_months.product_id,
        lines_in_months.order_month,
        lines_in_months.ordered_at_utc,
        lines_in_months.currency,
        lines_in_months.unit_price,
        lines_in_months.vat_rate,
        cast(lines_in_months.quantity as bigint) as ordered_quantity,
        cast(least(coalesce(cancelled_items.cancelled_quantity, 0), lines_in_months.quantity) as bigint)
            as cancelled_quantity,
        cast(
            least(coalesce(cancelled_items.seller_fault_cancelled_quantity, 0), lines_in_months.quantity)
            as bigint
        ) as seller_fault_cancelled_quantity,
        cast(
            least(coalesce(returned_items.seller_fault_returned_quantity, 0), lines_in_months.quantity)
            as bigint
        ) as seller_fault_returned_quantity
    from lines_in_months
    left join cancelled_items
        on
            lines_in_months.marketplace = cancelled_items.marketplace
            and lines_in_months.order_id = cancelled_items.order_id
            and lines_in_months.line_id = cancelled_items.line_id
    left join returned_items
        on
            lines_in_months.marketplace = returned_items.marketplace
            and lines_in_months.order_id = returned_items.order_id
            and lines_in_months.line_id = returned_items.line_id
)

select * from final
