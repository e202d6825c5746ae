{#- Calendar quarters of the report models (models/intermediate/reporting, models/marts/reporting):
    what a quarter is, which days and ISO weeks belong to it, and the quarter-over-quarter
    pattern every quarterly model shares (an item listed in its quarters and the quarter after,
    beside the quarter before). Portable: dates move with dbt.dateadd, which dispatches per
    adapter, and are cast back to date (DuckDB and PostgreSQL return timestamps). -#}

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

{#- the last day of a quarter, from its first day -#}
{% macro quarter_end(quarter_start_column) -%}
    {{ add_days(add_quarters(quarter_start_column, 1), -1) }}
{%- endmacro %}

{#- the first day of the quarter an ISO week counts for: the quarter of its Thursday (a week
    across a quarter's end belongs to the quarter holding most of its days) -#}
{% macro week_quarter_start(week_start_column) -%}
    {{ quarter_start(dbt.dateadd('day', 3, week_start_column)) }}
{%- endmacro %}

{#- The keys of a quarter-over-quarter model, as the body of a CTE: quarter_start and `columns`
    of `relation`'s rows (where `where` holds) and the same keys one quarter later (of the rows
    where `next_where` holds), so that an item of a quarter is listed in the quarter after too,
    against it. -#}
{% macro quarter_keys(relation, columns=[], where=none, next_where=none) -%}
    select
        quarter_start
        {%- for column in columns %},
        {{ column }}
        {%- endfor %}
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    union
    select
        {{ add_quarters('quarter_start', 1) }} as quarter_start
        {%- for column in columns %},
        {{ column }}
        {%- endfor %}
    from {{ relation }}
    {%- if next_where %}
    where {{ next_where }}
    {%- endif %}
{%- endmacro %}

{#- The two left joins that put beside each row of `keys` (a CTE with quarter_start and
    `columns`) the row of `relation` of the same quarter (alias `current`) and of the quarter
    before (alias `previous`), matched on `columns` too. -#}
{% macro quarter_over_quarter_joins(
    keys, relation, columns=[], current='current_quarter', previous='previous_quarter'
) -%}
    left join {{ relation }} as {{ current }}
        on
            {{ keys }}.quarter_start = {{ current }}.quarter_start
            {%- for column in columns %}
            and {{ keys }}.{{ column }} = {{ current }}.{{ column }}
            {%- endfor %}
    left join {{ relation }} as {{ previous }}
        on
            {{ add_quarters(keys ~ '.quarter_start', -1) }} = {{ previous }}.quarter_start
            {%- for column in columns %}
            and {{ keys }}.{{ column }} = {{ previous }}.{{ column }}
            {%- endfor %}
{%- endmacro %}
