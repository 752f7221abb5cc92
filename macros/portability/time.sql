{#
    Time handling that differs between DuckDB and Spark. Every timestamp the warehouse stores
    is a naive `timestamp`: `*_utc` columns hold UTC, `*_local` columns the wall-clock time of
    a named IANA zone. The DuckDB profile pins the session TimeZone to UTC.
#}

{# An offset at the end of timestamp text, after its time: Z, +08, +0800, +08:00 or ' UTC' (read
   as UTC on both engines, not as the marketplace's wall-clock time). Only after a time: the
   '-10' that ends the date '2025-09-10' is its day, not an offset. #}
{% macro offset_pattern() -%}
    '[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?| UTC)$'
{%- endmacro %}


{# ISO 8601 text -> UTC timestamp. Text with an offset (or Z) is honoured; text without one is
   wall-clock time in `tz_expr`. Unparseable text gives null. #}
{% macro text_to_utc(text_expr, tz_expr) %}
    {{ return(adapter.dispatch('text_to_utc', 'seller_standing')(text_expr, tz_expr)) }}
{% endmacro %}

{% macro duckdb__text_to_utc(text_expr, tz_expr) -%}
    case
        when not regexp_matches({{ text_expr }}, {{ iso_timestamp_pattern() }}) then null
        when regexp_matches({{ text_expr }}, {{ offset_pattern() }})
            then timezone('UTC', try_cast({{ text_expr }} as timestamptz))
        else timezone('UTC', timezone({{ tz_expr }}, try_cast({{ text_expr }} as timestamp)))
    end
{%- endmacro %}

{#
    The one shape of date and timestamp text both engines cast (the same regular expression on
    DuckDB and on Spark); other text is null, its row quarantined on both. Each engine alone
    reads more, differently: Spark '2025' as 2025-01-01; DuckDB 'infinity', 'epoch', '-2025-01-05'
    (a year BC), '02025-01-05' or '10000-01-01', '25-01-05' (year 25), '10:00:00 AM', a zone name
    after the time, two spaces or a tab before the time. A year is 1900 to 2999 (a
    seller-performance warehouse has no older or later date: such a year is a typo, and years
    before 1900 fall into local mean time and calendar changes the engines do not share). The
    date is YYYY-M-D with '-', or with '/' or a space twice ('2025/01/05', read as 2025-01-05 on
    both); an optional time H:MM, H:MM:SS or H:MM:SS.fraction after 'T' or one space; an
    optional offset after the time (Z, +08, +0800, +08:00, ' UTC').
#}
{% macro iso_date_shape() -%}
    ^ *(19|2[0-9])[0-9]{2}(-[0-9]{1,2}-|/[0-9]{1,2}/| [0-9]{1,2} )[0-9]{1,2}
{%- endmacro %}

{% macro iso_time_shape() -%}
    [T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?
{%- endmacro %}

{% macro iso_date_time_shape() -%}
    {{ iso_date_shape() }}({{ iso_time_shape() }})?
{%- endmacro %}

{# An offset only after a time: '2025-09-10Z' is neither a date nor a timestamp. #}
{% macro iso_timestamp_pattern() -%}
    '{{ iso_date_shape() }}({{ iso_time_shape() }}(Z|[+-][0-9]{2}(:?[0-9]{2})?| UTC)?)? *$'
{%- endmacro %}

{# The same without an offset: wall-clock text (try_cast_to(..., 'timestamp')). #}
{% macro iso_local_timestamp_pattern() -%}
    '{{ iso_date_time_shape() }} *$'
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
        when not ({{ text_expr }} rlike {{ iso_timestamp_pattern() }}) then null
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

{# The names of the IANA tz database (pytz, in dbt's context), on both engines: DuckDB alone
   also knows ICU's old three-letter ids ('IST', 'PST', 'ACT'), 'Factory' and 'SystemV/...';
   on DuckDB a name must also be one ICU knows. Left out: the names Java 17 (Spark) does not
   know, where Spark would stop the build instead of quarantining the row ('ROC', an alias
   Java never had, and 'America/Coyhaique', new in tzdata 2025b). #}
{% macro iana_timezone_names() -%}
    {%- set unknown_to_java = ['ROC', 'America/Coyhaique'] -%}
    ({%- for name in modules.pytz.all_timezones if name not in unknown_to_java %}'{{ name }}'{{ ", " if not loop.last }}{% endfor -%})
{%- endmacro %}

{% macro duckdb__is_known_timezone(tz_expr) -%}
    ({{ tz_expr }} in {{ iana_timezone_names() }}
        and {{ tz_expr }} in (select tz.name from pg_timezone_names() as tz))
{%- endmacro %}

{# Spark raises on an unknown zone (there is no try_ form): only the listed names pass. #}
{% macro default__is_known_timezone(tz_expr) -%}
    ({{ tz_expr }} in {{ iana_timezone_names() }})
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
