{#- A model's key: no two rows share the values of `columns` (NULLs compare equal, as in GROUP
    BY), the column combination itself rather than a concatenated string. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as rows_with_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
