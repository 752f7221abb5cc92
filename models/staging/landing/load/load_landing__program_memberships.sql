with landing as (
    select * from {{ source('landing', 'program_memberships') }}
)

{{ load_landing_rows('program_memberships') }}
