{#- One row per seller; no personal data (e-mail and phone stay in staging). -#}
with sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

final as (
    select
        marketplace,
        seller_id,
        seller_name,
        country_code,
        effective_timezone as timezone,
        registered_at_utc as registered_at,
        cast({{ utc_to_local('registered_at_utc', 'effective_timezone') }} as date) as registered_date_local
    from sellers
)

select * from final
