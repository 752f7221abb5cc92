{#-
    One row per KKday customer message: the first seller message of the same conversation
    sent at or after it, and whether that reply came within the reply window (inclusive).
    One seller reply answers every customer message sent in the window before it; the
    seller need not write last. Months are local months of the seller's time zone.
-#}
with messages as (
    select * from {{ ref('stg_landing__messages') }}
    where marketplace = 'kkday'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

rule_versions as (
    select * from {{ ref('kkday_trusted_partner__rule_versions') }}
),

customer_messages as (
    select
        messages.marketplace,
        messages.seller_id,
        messages.conversation_id,
        messages.message_id,
        messages.sent_at_utc,
        sellers.effective_timezone,
        cast(
            {{ utc_to_local('messages.sent_at_utc', 'sellers.effective_timezone') }} as date
        ) as sent_date_local,
        cast(
            {{ dbt.date_trunc('month', utc_to_local('messages.sent_at_utc', 'sellers.effective_timezone')) }}
            as date
        ) as sent_month_start
    from messages
    inner join sellers
        on
            messages.marketplace = sellers.marketplace
            and messages.seller_id = sellers.seller_id
    where messages.sender_role = 'customer'
),

seller_messages as (
    select
        marketplace,
        seller_id,
        conversation_id,
        sent_at_utc
    from messages
    where sender_role = 'seller'
),

first_replies as (
    select
        customer_messages.marketplace,
        customer_messages.message_id,
        min(seller_messages.sent_at_utc) as first_reply_at_utc
    from customer_messages
    inner join seller_messages
        on
            customer_messages.marketplace = seller_messages.marketplace
            and customer_messages.seller_id = seller_messages.seller_id
            and customer_messages.conversation_id = seller_messages.conversation_id
            and customer_messages.sent_at_utc <= seller_messages.sent_at_utc
    group by
        customer_messages.marketplace,
        customer_messages.message_id
),

with_replies as (
    select
        customer_messages.*,
        first_replies.first_reply_at_utc,
        rule_versions.rule_version,
        rule_versions.reply_window_hours,
        {{ dbt.dateadd('hour', 'rule_versions.reply_window_hours', 'customer_messages.sent_at_utc') }}
            as reply_deadline_utc
    from customer_messages
    left join first_replies
        on
            customer_messages.marketplace = first_replies.marketplace
            and customer_messages.message_id = first_replies.message_id
    inner join rule_versions
        on {{ in_force('rule_versions', 'customer_messages.sent_date_local') }}
),

final as (
    select
        marketplace,
        seller_id,
        conversation_id,
        message_id,
        sent_at_utc,
        sent_month_start,
        reply_deadline_utc,
        first_reply_at_utc,
        coalesce(first_reply_at_utc <= reply_deadline_utc, false) as is_answered_in_time,
        rule_version
    from with_replies
)

select * from final
