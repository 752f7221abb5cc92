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

{# Spark reads more shapes than DuckDB ('2025' is 2025-01-01 there): only the ISO 8601 shapes
   DuckDB reads are cast, so the same text is quarantined on both. #}
{% macro iso_timestamp_pattern() -%}
    '^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?| UTC)?$'
{%- endmacro %}

{#
    Spark: date and timestamp text in the one shape Spark's parser reads, for the shapes DuckDB
    reads besides ISO 8601: '2025/01/05' and '2025 01 05' (DuckDB takes '/' or a space between
    the parts of a date, the same one twice) as '2025-01-05', and a time of 24:00:00 as 00:00:00
    of the next day (DuckDB reads '2025-01-05T24:00:00' as 2025-01-06 00:00:00; Spark refuses it).
#}
{% macro spark_iso_text(expr) -%}
    {%- set dashed = spark_dashed_date_text(expr) -%}
    {%- set at_24 = "'^ *([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})[T ]24:00(:00([.]0*)?)?($|[^0-9.:].*$)'" -%}
    case
        when {{ dashed }} rlike {{ at_24 }}
            then concat(
                cast(date_add(try_cast(regexp_extract({{ dashed }}, {{ at_24 }}, 1) as date), 1) as string),
                ' 00:00:00',
                regexp_extract({{ dashed }}, {{ at_24 }}, 4)
            )
        else {{ dashed }}
    end
{%- endmacro %}

{% macro spark_dashed_date_text(expr) -%}
    regexp_replace({{ expr }}, '^( *[0-9]{4})([/ ])([0-9]{1,2})\\2([0-9]{1,2})', '$1-$3-$4')
{%- endmacro %}

{# A time followed by a numeric offset: the offset is applied by arithmetic, as DuckDB does
   (Spark's own parser refuses offsets beyond +-18:00, DuckDB takes any two-digit hour). #}
{% macro time_offset_pattern() -%}
    '[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([+-])([0-9]{2}):?([0-9]{2})?$'
{%- endmacro %}

{% macro default__text_to_utc(text_expr, tz_expr) -%}
    {#- whether the text carries an offset is decided on the text as written, as on DuckDB -#}
    {%- set text = spark_iso_text(text_expr) -%}
    case
        when not ({{ text }} rlike {{ iso_timestamp_pattern() }}) then null
        when {{ text }} rlike {{ time_offset_pattern() }}
            then timestampadd(
                MINUTE,
                (case when regexp_extract({{ text }}, {{ time_offset_pattern() }}, 3) = '-' then 1 else -1 end)
                * (cast(regexp_extract({{ text }}, {{ time_offset_pattern() }}, 4) as int) * 60
                    + coalesce(cast(nullif(regexp_extract({{ text }}, {{ time_offset_pattern() }}, 5), '') as int), 0)),
                try_cast(regexp_replace({{ text }}, '[+-][0-9]{2}:?([0-9]{2})?$', '') as timestamp)
            )
        when {{ text_expr }} rlike {{ offset_pattern() }}
            then to_utc_timestamp(try_cast({{ text }} as timestamp), 'UTC')
        else {{ default__local_to_utc('try_cast(' ~ text ~ ' as timestamp)', tz_expr) }}
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

{# A wall-clock time repeated when the clocks go back is read as its second occurrence
   (standard time), as DuckDB does; Spark's to_utc_timestamp alone gives the first. #}
{% macro default__local_to_utc(ts_expr, tz_expr) -%}
    case
        when from_utc_timestamp(to_utc_timestamp({{ ts_expr }}, {{ tz_expr }}) + interval 1 hour, {{ tz_expr }})
            = {{ ts_expr }}
            then to_utc_timestamp({{ ts_expr }}, {{ tz_expr }}) + interval 1 hour
        else to_utc_timestamp({{ ts_expr }}, {{ tz_expr }})
    end
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

{# Spark raises on an unknown zone (there is no try_ form): the IANA names of the tz database
   (pytz, in dbt's context) are listed instead. #}
{% macro default__is_known_timezone(tz_expr) -%}
    ({{ tz_expr }} in (
        {%- for name in modules.pytz.all_timezones %}'{{ name }}'{{ ", " if not loop.last }}{% endfor -%}
    ))
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


{#
    dbt.dateadd on Spark. dbt-spark's spark__dateadd goes through unix seconds, which drops a
    timestamp's fraction of a second (DuckDB's `+ interval` keeps it: a deadline 120 hours after
    15:59:59.600 is at 15:59:59.600). This override (the root project's spark__dateadd wins over
    the adapter's) adds with timestampadd, which keeps it; months clamp to the month's last day
    on both engines. The session time zone is UTC, so an hour is always 3,600 seconds.
#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- if datepart | lower not in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond'] -%}
        {{ exceptions.raise_compiler_error("dateadd: unknown datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
    timestampadd({{ datepart | upper }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
{%- endmacro %}
