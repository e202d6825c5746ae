{#- A composite key: no two rows share the same values of `columns` (NULLs compare equal, as in
    group by). Fails with one row per duplicated key and how often it occurs. -#}
{% test unique_combination(model, columns) %}

with

keys as (

    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}

),

final as (

    select * from keys
    where occurrences > 1

)

select * from final

{% endtest %}
