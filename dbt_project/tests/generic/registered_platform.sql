{#- The column holds a platform of the registry (seed `platforms`), of one of `kinds` when given,
    or one of the extra values `also` (e.g. 'all' for a total row, 'other' for other sites).
    Fails with each value that is not. -#}
{% test registered_platform(model, column_name, kinds=none, also=[]) %}

with

registered as (

    select platform_id from {{ ref('platforms') }}
    {% if kinds %}
        where kind in ({% for kind in kinds %}'{{ kind }}'{{ ", " if not loop.last }}{% endfor %})
    {% endif %}

),

final as (

    select distinct {{ column_name }} as platform
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ column_name }} not in (select platform_id from registered)
        {% for value in also %}
            and {{ column_name }} <> '{{ value }}'
        {% endfor %}

)

select * from final

{% endtest %}
