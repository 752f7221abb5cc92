{#-
    Booking.com Preferred Partner membership per property and evaluated quarter (docs/rules/booking_preferred.md), from program_memberships of program `booking_preferred`, dated by the local date of
    acted_at in the property's time zone:
      - as of the evaluation: the latest action dated up to the quarter's last day; the
        property is a member when that action is an opt-in (opted in, not opted out since);
      - during the validity quarter: the first opt-out dated in it, which ends a membership
        at once.
-#}
with quarters as (
    select * from {{ ref('int_booking_quarters_spined') }}
),

memberships as (
    select * from {{ ref('stg_landing__program_memberships') }}
    where
        marketplace = 'booking'
        and program_id = 'booking_preferred'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

actions as (
    select
        memberships.marketplace,
        memberships.seller_id,
        memberships.action,
        memberships.acted_at_utc,
        cast({{ utc_to_local('memberships.acted_at_utc', 'sellers.effective_timezone') }} as date)
            as acted_date
    from memberships
    inner join sellers
        on
            memberships.marketplace = sellers.marketplace
            and memberships.seller_id = sellers.seller_id
),

actions_until_evaluation as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        actions.action,
        actions.acted_date,
        row_number() over (
            partition by quarters.marketplace, quarters.seller_id, quarters.period_start
            order by actions.acted_at_utc desc
        ) as recency
    from quarters
    inner join actions
        on
            quarters.marketplace = actions.marketplace
            and quarters.seller_id = actions.seller_id
            and actions.acted_date <= quarters.period_end
),

latest_actions as (
    select * from actions_until_evaluation
    where recency = 1
),

opt_outs_in_validity as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        min(actions.acted_date) as first_opt_out_date
    from quarters
    inner join actions
        on
            quarters.marketplace = actions.marketplace
            and quarters.seller_id = actions.seller_id
            and actions.action = 'opt_out'
            and actions.acted_date >= quarters.valid_from
            and actions.acted_date <= quarters.valid_to
    group by quarters.marketplace, quarters.seller_id, quarters.period_start
),

final as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        quarters.period_end,
        latest_actions.action as latest_action,
        latest_actions.acted_date as latest_action_date,
        coalesce(latest_actions.action = 'opt_in', false) as is_member,
        opt_outs_in_validity.first_opt_out_date as validity_opt_out_date
    from quarters
    left join latest_actions
        on
            quarters.marketplace = latest_actions.marketplace
            and quarters.seller_id = latest_actions.seller_id
            and quarters.period_start = latest_actions.period_start
    left join opt_outs_in_validity
        on
            quarters.marketplace = opt_outs_in_validity.marketplace
            and quarters.seller_id = opt_outs_in_validity.seller_id
            and quarters.period_start = opt_outs_in_validity.period_start
)

select * from final
