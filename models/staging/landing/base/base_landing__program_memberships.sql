with landing as (
    select * from {{ source('landing', 'program_memberships') }}
)

{{ stage_landing_base('program_memberships') }}
