{#- Calendar helpers: every date and week is in China time (Asia/Shanghai), weeks are ISO weeks. -#}

{% macro shanghai_date(column) -%}
    {{ return(adapter.dispatch('shanghai_date', 'newmedia')(column)) }}
{%- endmacro %}

{% macro default__shanghai_date(column) -%}
    cast(timezone('Asia/Shanghai', {{ column }}) as date)
{%- endmacro %}

{% macro postgres__shanghai_date(column) -%}
    cast(({{ column }} at time zone 'Asia/Shanghai') as date)
{%- endmacro %}

{#- the wall-clock time in Shanghai (a timestamp without time zone) -#}
{% macro shanghai_local(column) -%}
    {{ return(adapter.dispatch('shanghai_local', 'newmedia')(column)) }}
{%- endmacro %}

{% macro default__shanghai_local(column) -%}
    timezone('Asia/Shanghai', {{ column }})
{%- endmacro %}

{% macro postgres__shanghai_local(column) -%}
    ({{ column }} at time zone 'Asia/Shanghai')
{%- endmacro %}

{#- ISO weekday of publishing in Shanghai: 1 = Monday … 7 = Sunday -#}
{% macro shanghai_iso_weekday(column) -%}
    cast(extract(isodow from {{ shanghai_local(column) }}) as bigint)
{%- endmacro %}

{% macro shanghai_hour(column) -%}
    cast(extract(hour from {{ shanghai_local(column) }}) as bigint)
{%- endmacro %}

{% macro iso_week(date_column) -%}
    {{ return(adapter.dispatch('iso_week', 'newmedia')(date_column)) }}
{%- endmacro %}

{% macro default__iso_week(date_column) -%}
    strftime({{ date_column }}, '%G-W%V')
{%- endmacro %}

{% macro postgres__iso_week(date_column) -%}
    to_char({{ date_column }}, 'IYYY-"W"IW')
{%- endmacro %}

{% macro week_start(date_column) -%}
    cast(date_trunc('week', {{ date_column }}) as date)
{%- endmacro %}

{#- The Monday of an ISO week written like 2026-W47 (NULL when the text is not in that form):
    ISO week 1 is the week of 4 January. -#}
{% macro iso_week_start(week_text) -%}
    case
        when {{ regex_matches(week_text, '^[0-9]{4}-W[0-9]{1,2}$') }}
            then cast(
                make_date(cast(substr({{ week_text }}, 1, 4) as integer), 1, 4)
                - cast(extract(isodow from make_date(cast(substr({{ week_text }}, 1, 4) as integer), 1, 4)) as integer)
                + 1
                + 7 * (cast(substr({{ week_text }}, 7) as integer) - 1)
                as date
            )
    end
{%- endmacro %}

{#- seconds from one timestamp to a later one (fractional) -#}
{% macro seconds_between(start_column, end_column) -%}
    cast(extract(epoch from ({{ end_column }} - {{ start_column }})) as double precision)
{%- endmacro %}

{% macro timestamp_text(column) -%}
    {{ return(adapter.dispatch('timestamp_text', 'newmedia')(column)) }}
{%- endmacro %}

{% macro default__timestamp_text(column) -%}
    strftime(timezone('Asia/Shanghai', {{ column }}), '%Y-%m-%d %H:%M:%S')
{%- endmacro %}

{% macro postgres__timestamp_text(column) -%}
    to_char(({{ column }} at time zone 'Asia/Shanghai'), 'YYYY-MM-DD HH24:MI:SS')
{%- endmacro %}
