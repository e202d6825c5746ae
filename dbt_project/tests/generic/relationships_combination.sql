{#- A composite foreign key: every combination of `columns` in the model (rows with a NULL in
    one of them aside) exists as the same combination of `to_columns` (default: the same names)
    in `to`. Fails with one row per missing key and how many rows carry it. -#}
{% test relationships_combination(model, columns, to, to_columns=none) %}

{%- set target_columns = to_columns or columns %}

with

child as (

    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    where
        {%- for column in columns %}
            {{ column }} is not null{% if not loop.last %} and{% endif %}
        {%- endfor %}
    group by {{ columns | join(', ') }}

),

parent as (

    select distinct {{ target_columns | join(', ') }}
    from {{ to }}

),

final as (

    select child.*
    from child
    left join parent
        on
        {%- for column in columns %}
            child.{{ column }} = parent.{{ target_columns[loop.index0] }}{% if not loop.last %} and{% endif %}
        {%- endfor %}
    where parent.{{ target_columns[0] }} is null

)

select * from final

{% endtest %}
