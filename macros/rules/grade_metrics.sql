{#
    Grade metric values against a program's metric-bars seed (seeds/rules/<program>__metric_bars.csv).

    `values_cte` holds one row per marketplace, seller_id, program_id, metric_id, period_start,
    period_end with numerator, denominator (null for metrics that are not ratios, e.g. points)
    and value (null when it cannot be measured). The bar version in force is the one whose
    valid_from..valid_to holds period_start. Grades:
      - grading `excellent_good`: excellent when the value meets excellent_bar; else good when
        there is no good_bar or the value meets it; else needs_improvement;
      - grading `pass_fail`: pass when the value meets pass_bar, else fail;
      - a value that cannot be measured (denominator 0) is insufficient_data.
    `bar_value` is the bar of the grade held, or for the lowest grade the bar it missed.
    `headroom` (metrics with headroom_applies) is how many more bad events, with the same
    denominator, keep the grade: 0 means one more and the grade drops; null for the lowest
    grade, for a grade that cannot drop, and for insufficient data.
#}
{% macro grade_metrics(values_cte, bars_seed) %}
metric_bars as (
    select * from {{ ref(bars_seed) }}
),

values_with_bars as (
    select
        metric_values.*,
        metric_bars.rule_version,
        metric_bars.grading,
        metric_bars.comparator,
        metric_bars.excellent_bar,
        metric_bars.good_bar,
        metric_bars.pass_bar,
        metric_bars.headroom_applies
    from {{ values_cte }} as metric_values
    inner join metric_bars
        on
            metric_values.program_id = metric_bars.program_id
            and metric_values.metric_id = metric_bars.metric_id
            and {{ in_force('metric_bars', 'metric_values.period_start') }}
),

graded as (
    select
        *,
        case
            when value is null then 'insufficient_data'
            when grading = 'pass_fail'
                then case when {{ meets_bar('value', 'comparator', 'pass_bar') }} then 'pass' else 'fail' end
            when {{ meets_bar('value', 'comparator', 'excellent_bar') }} then 'excellent'
            when good_bar is null or {{ meets_bar('value', 'comparator', 'good_bar') }} then 'good'
            else 'needs_improvement'
        end as grade
    from values_with_bars
),

with_bar as (
    select
        *,
        case
            when grading = 'pass_fail' then pass_bar
            when grade in ('excellent', 'insufficient_data') then excellent_bar
            when grade = 'good' then coalesce(good_bar, excellent_bar)
            else good_bar
        end as bar_value,
        case
            when grade in ('excellent', 'pass') then true
            when grade = 'good' and good_bar is not null then true
            else false
        end as _grade_can_drop
    from graded
),

metrics_graded as (
    select
        marketplace,
        seller_id,
        program_id,
        metric_id,
        period_start,
        period_end,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        grade,
        cast(bar_value as double) as bar_value,
        case
            when headroom_applies and _grade_can_drop
                then {{ headroom('numerator', 'denominator', 'comparator', 'bar_value') }}
        end as headroom,
        rule_version
    from with_bar
)
{% endmacro %}


{# Does value meet bar under comparator (a column holding <, <=, >= or >)? #}
{% macro meets_bar(value, comparator, bar) -%}
    case {{ comparator }}
        when '<' then {{ value }} < {{ bar }}
        when '<=' then {{ value }} <= {{ bar }}
        when '>=' then {{ value }} >= {{ bar }}
        when '>' then {{ value }} > {{ bar }}
    end
{%- endmacro %}


{#
    How many more bad events keep `numerator / denominator` meeting `bar` (denominator null =
    1, for plain counts such as points). For < and <= the numerator counts bad events; for >=
    and > it counts good ones, so one more bad event is one good event fewer. Exact decimal
    arithmetic: 0.01 x 300 must be 3, not 3.0000000000000004.
#}
{% macro headroom(numerator, denominator, comparator, bar) -%}
    {%- set n = 'cast(' ~ numerator ~ ' as decimal(18, 6))' -%}
    {%- set b = 'cast(' ~ bar ~ ' as decimal(18, 6)) * cast(coalesce(' ~ denominator ~ ', 1) as decimal(18, 6))' -%}
    cast(case {{ comparator }}
        when '<' then ceil({{ b }}) - 1 - {{ n }}
        when '<=' then floor({{ b }}) - {{ n }}
        when '>=' then floor({{ n }} - {{ b }})
        when '>' then ceil({{ n }} - {{ b }}) - 1
    end as bigint)
{%- endmacro %}
