{#-
    Reason codes exported by a marketplace whose codes the seed marketplace__reason_codes
    classifies, but that the seed does not know. They count as not seller fault (docs/rules/README.md);
    the build reports them (warning test warn_unrecognised_reason_codes, `seller-standing build`).
-#}
with cancellations as (
    select * from {{ ref('stg_landing__cancellations') }}
),

returns as (
    select * from {{ ref('stg_landing__returns') }}
),

corrections as (
    select * from {{ ref('stg_landing__return_reason_corrections') }}
),

reason_codes as (
    select * from {{ ref('marketplace__reason_codes') }}
),

exported_codes as (
    select
        marketplace,
        'cancellation' as event_type,
        reason_code
    from cancellations
    union all
    select
        marketplace,
        'return' as event_type,
        reason_code
    from returns
    union all
    select
        marketplace,
        'return' as event_type,
        reason_code
    from corrections
),

classified_event_types as (
    select distinct
        marketplace,
        event_type
    from reason_codes
),

final as (
    select
        exported_codes.marketplace,
        exported_codes.event_type,
        exported_codes.reason_code,
        count(*) as row_count
    from exported_codes
    inner join classified_event_types
        on
            exported_codes.marketplace = classified_event_types.marketplace
            and exported_codes.event_type = classified_event_types.event_type
    left join reason_codes
        on
            exported_codes.marketplace = reason_codes.marketplace
            and exported_codes.event_type = reason_codes.event_type
            and exported_codes.reason_code = reason_codes.reason_code
    where reason_codes.reason_code is null
    group by exported_codes.marketplace, exported_codes.event_type, exported_codes.reason_code
)

select * from final
