{#
    Time handling that differs between DuckDB and Spark. Every timestamp the warehouse stores
    is a naive `timestamp`: `*_utc` columns hold UTC, `*_local` columns the wall-clock time of
    a named IANA zone. The DuckDB profile pins the session TimeZone to UTC.
#}

{% macro offset_pattern() -%}
    '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$'
{%- endmacro %}


{# ISO 8601 text -> UTC timestamp. Text with an offset (or Z) is honoured; text without one is
   wall-clock time in `tz_expr`. Unparseable text gives null. #}
{% macro text_to_utc(text_expr, tz_expr) %}
    {{ return(adapter.dispatch('text_to_utc', 'seller_standing')(text_expr, tz_expr)) }}
{% endmacro %}

{% macro duckdb__text_to_utc(text_expr, tz_expr) -%}
    case
        when regexp_matches({{ text_expr }}, {{ offset_pattern() }})
            then timezone('UTC', try_cast({{ text_expr }} as timestamptz))
        else timezone('UTC', timezone({{ tz_expr }}, try_cast({{ text_expr }} as timestamp)))
    end
{%- endmacro %}

{% macro default__text_to_utc(text_expr, tz_expr) -%}
    case
        when {{ text_expr }} rlike {{ offset_pattern() }}
            then to_utc_timestamp(try_cast({{ text_expr }} as timestamp), 'UTC')
        else to_utc_timestamp(try_cast({{ text_expr }} as timestamp), {{ tz_expr }})
    end
{%- endmacro %}


{# Does the ISO 8601 text carry an offset? #}
{% macro text_has_offset(text_expr) %}
    {{ return(adapter.dispatch('text_has_offset', 'seller_standing')(text_expr)) }}
{% endmacro %}

{% macro duckdb__text_has_offset(text_expr) -%}
    regexp_matches({{ text_expr }}, {{ offset_pattern() }})
{%- endmacro %}

{% macro default__text_has_offset(text_expr) -%}
    ({{ text_expr }} rlike {{ offset_pattern() }})
{%- endmacro %}


{# UTC timestamp -> wall-clock time in tz_expr. #}
{% macro utc_to_local(ts_expr, tz_expr) %}
    {{ return(adapter.dispatch('utc_to_local', 'seller_standing')(ts_expr, tz_expr)) }}
{% endmacro %}

{% macro duckdb__utc_to_local(ts_expr, tz_expr) -%}
    timezone({{ tz_expr }}, timezone('UTC', {{ ts_expr }}))
{%- endmacro %}

{% macro default__utc_to_local(ts_expr, tz_expr) -%}
    from_utc_timestamp({{ ts_expr }}, {{ tz_expr }})
{%- endmacro %}


{# Wall-clock time in tz_expr -> UTC timestamp. #}
{% macro local_to_utc(ts_expr, tz_expr) %}
    {{ return(adapter.dispatch('local_to_utc', 'seller_standing')(ts_expr, tz_expr)) }}
{% endmacro %}

{% macro duckdb__local_to_utc(ts_expr, tz_expr) -%}
    timezone('UTC', timezone({{ tz_expr }}, {{ ts_expr }}))
{%- endmacro %}

{% macro default__local_to_utc(ts_expr, tz_expr) -%}
    to_utc_timestamp({{ ts_expr }}, {{ tz_expr }})
{%- endmacro %}


{# Exact seconds from a to b (both timestamps). #}
{% macro seconds_between(a, b) %}
    {{ return(adapter.dispatch('seconds_between', 'seller_standing')(a, b)) }}
{% endmacro %}

{% macro duckdb__seconds_between(a, b) -%}
    (epoch({{ b }}) - epoch({{ a }}))
{%- endmacro %}

{% macro default__seconds_between(a, b) -%}
    (unix_timestamp({{ b }}) - unix_timestamp({{ a }}))
{%- endmacro %}


{# ISO day of week of a date: 1 = Monday ... 7 = Sunday. #}
{% macro iso_day_of_week(date_expr) %}
    {{ return(adapter.dispatch('iso_day_of_week', 'seller_standing')(date_expr)) }}
{% endmacro %}

{% macro duckdb__iso_day_of_week(date_expr) -%}
    isodow({{ date_expr }})
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    ((dayofweek({{ date_expr }}) + 5) % 7 + 1)
{%- endmacro %}


{# Is tz_expr a time zone name the engine knows? #}
{% macro is_known_timezone(tz_expr) %}
    {{ return(adapter.dispatch('is_known_timezone', 'seller_standing')(tz_expr)) }}
{% endmacro %}

{% macro duckdb__is_known_timezone(tz_expr) -%}
    ({{ tz_expr }} in (select tz.name from pg_timezone_names() as tz))
{%- endmacro %}

{% macro default__is_known_timezone(tz_expr) -%}
    (from_utc_timestamp(timestamp '2000-01-01 00:00:00', {{ tz_expr }}) is not null)
{%- endmacro %}


{# The date that decides which periods are complete (var evaluation_date, default today). #}
{% macro evaluation_date() -%}
    {%- set value = var('evaluation_date', none) or run_started_at.strftime('%Y-%m-%d') -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{# On-run-start: the evaluation date of this run, kept in the build file (landing._build_settings)
   for the commands that rebuild part of it later (what-if). #}
{% macro record_evaluation_date() -%}
    {%- if execute -%}
        {%- do run_query('create schema if not exists landing') -%}
        {%- do run_query('drop table if exists landing._build_settings') -%}
        {%- do run_query('create table landing._build_settings as select '
            ~ evaluation_date() ~ ' as evaluation_date') -%}
    {%- endif -%}
{%- endmacro %}


{# Time zone of a marketplace, from var marketplace_timezones; null for an unknown one. #}
{% macro marketplace_timezone(marketplace_expr) -%}
    case {{ marketplace_expr }}
        {%- for marketplace, tz in var('marketplace_timezones').items() %}
        when '{{ marketplace }}' then '{{ tz }}'
        {%- endfor %}
    end
{%- endmacro %}
