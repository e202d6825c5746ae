{#- Helpers of the report models (models/marts/reporting): changes and days (quarters: quarters.sql). -#}

{#- relative change current / previous − 1: NULL when either is unknown or previous is 0 -#}
{% macro relative_change(current, previous) -%}
    (cast({{ current }} as double precision) / nullif({{ previous }}, 0) - 1)
{%- endmacro %}

{#- a date `days` days after (before, when negative) a date, as a date on both warehouses -#}
{% macro add_days(date_column, days) -%}
    cast({{ dbt.dateadd('day', days, date_column) }} as date)
{%- endmacro %}
