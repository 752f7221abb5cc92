{#-
    Ovoko's four monthly metrics per seller (docs/rules/ovoko_seller_status.md), graded against
    ovoko_seller_status__metric_bars: excellent = meets the Top Seller bar, needs_improvement =
    hits the Below Standard bar. Items are order-line quantities of orders placed in the month.
-#}
with seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'ovoko'
),

order_lines as (
    select * from {{ ref('int_ovoko_order_lines_attributed') }}
),

shipments as (
    select * from {{ ref('int_ovoko_shipments_assessed') }}
),

item_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        count(distinct order_id) as orders_count,
        sum(ordered_quantity) as ordered_items,
        sum(seller_fault_cancelled_quantity) as seller_fault_cancelled_items,
        sum(seller_fault_returned_quantity) as seller_fault_returned_items
    from order_lines
    group by marketplace, seller_id, order_month
),

shipment_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        sum(case when counts_as_shipment then 1 else 0 end) as shipments,
        sum(case when counts_as_shipment and is_overdue then 1 else 0 end) as overdue_shipments
    from shipments
    group by marketplace, seller_id, order_month
),

monthly as (
    select
        seller_months.marketplace,
        seller_months.seller_id,
        seller_months.period_start,
        seller_months.period_end,
        coalesce(item_counts.orders_count, 0) as orders_count,
        coalesce(item_counts.ordered_items, 0) as ordered_items,
        coalesce(item_counts.seller_fault_cancelled_items, 0) as seller_fault_cancelled_items,
        coalesce(item_counts.seller_fault_returned_items, 0) as seller_fault_returned_items,
        coalesce(shipment_counts.shipments, 0) as shipments,
        coalesce(shipment_counts.overdue_shipments, 0) as overdue_shipments
    from seller_months
    left join item_counts
        on
            seller_months.marketplace = item_counts.marketplace
            and seller_months.seller_id = item_counts.seller_id
            and seller_months.period_start = item_counts.order_month
    left join shipment_counts
        on
            seller_months.marketplace = shipment_counts.marketplace
            and seller_months.seller_id = shipment_counts.seller_id
            and seller_months.period_start = shipment_counts.order_month
),

metric_values as (
    {{ metric_rows('monthly', 'ovoko_seller_status', [
        {'metric_id': 'orders_count', 'numerator': 'orders_count'},
        {'metric_id': 'cancelled_items_rate',
         'numerator': 'seller_fault_cancelled_items', 'denominator': 'ordered_items'},
        {'metric_id': 'returned_items_rate',
         'numerator': 'seller_fault_returned_items', 'denominator': 'ordered_items'},
        {'metric_id': 'overdue_shipment_rate', 'numerator': 'overdue_shipments', 'denominator': 'shipments'},
    ]) }}
),

{{ grade_metrics('metric_values', 'ovoko_seller_status__metric_bars') }}

select * from metrics_graded
