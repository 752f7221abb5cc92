{{ config(severity='warn') }}
{#- Warns (does not fail) when an export carries reason codes the seed does not classify. -#}
select * from {{ ref('int_reason_codes_unrecognised') }}
