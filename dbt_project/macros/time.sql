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

{% macro timestamp_text(column) -%}
    {{ return(adapter.dispatch('timestamp_text', 'newmedia')(column)) }}
{%- endmacro %}

{% macro default__timestamp_text(column) -%}
    strftime(timezone('Asia/Shanghai', {{ column }}), '%Y-%m-%d %H:%M:%S')
{%- endmacro %}

{% macro postgres__timestamp_text(column) -%}
    to_char(({{ column }} at time zone 'Asia/Shanghai'), 'YYYY-MM-DD HH24:MI:SS')
{%- endmacro %}
