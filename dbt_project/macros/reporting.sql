{#- Helpers of the report models (models/marts/reporting): calendar quarters and changes. -#}

{#- the first day of the calendar quarter of a date -#}
{% macro quarter_start(date_column) -%}
    cast({{ dbt.date_trunc('quarter', date_column) }} as date)
{%- endmacro %}

{#- a quarter written like 2026Q4, from its first day -#}
{% macro quarter_text(quarter_start_column) -%}
    (cast(cast(extract(year from {{ quarter_start_column }}) as integer) as text)
        || 'Q'
        || cast(cast(extract(quarter from {{ quarter_start_column }}) as integer) as text))
{%- endmacro %}

{#- the first day of the quarter `quarters` quarters after (before, when negative) a quarter's -#}
{% macro add_quarters(quarter_start_column, quarters) -%}
    cast({{ dbt.dateadd('month', '3 * (' ~ quarters ~ ')', quarter_start_column) }} as date)
{%- endmacro %}

{#- relative change current / previous − 1: NULL when either is unknown or previous is 0 -#}
{% macro relative_change(current, previous) -%}
    (cast({{ current }} as double precision) / nullif({{ previous }}, 0) - 1)
{%- endmacro %}

{#- a date `days` days after (before, when negative) a date, as a date on both warehouses -#}
{% macro add_days(date_column, days) -%}
    cast({{ dbt.dateadd('day', days, date_column) }} as date)
{%- endmacro %}
