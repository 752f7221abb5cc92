{#-
    Every program's status per seller and evaluation period, with the change against the
    seller's previous period in the same program (promoted / demoted / kept, new for the
    first). Status order comes from each program's statuses seed (status_level).
-#}
{%- set program_statuses = program_models('statuses') -%}
{%- set columns = [
    'marketplace', 'seller_id', 'program_id', 'period_start', 'period_end', 'status', 'status_level',
    'qualifies', 'valid_from', 'valid_to', 'failing_metrics', 'ranking_penalty', 'rule_version',
    'country_performance_percentile',
] -%}

with
{{ union_program_models(
    program_statuses,
    columns,
    optional={'country_performance_percentile': ['int_booking_preferred_statuses_decided']},
    optional_types={'country_performance_percentile': 'double'},
) }},

with_previous as (
    select
        *,
        lag(status) over (
            partition by marketplace, seller_id, program_id order by period_start
        ) as previous_status,
        lag(status_level) over (
            partition by marketplace, seller_id, program_id order by period_start
        ) as previous_status_level
    from unioned
),

final as (
    select
        marketplace,
        seller_id,
        program_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        status,
        qualifies,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        previous_status,
        case
            when previous_status_level is null then 'new'
            when status_level > previous_status_level then 'promoted'
            when status_level < previous_status_level then 'demoted'
            else 'kept'
        end as status_change,
        failing_metrics,
        ranking_penalty,
        rule_version,
        cast(country_performance_percentile as double) as country_performance_percentile
    from with_previous
)

select * from final
