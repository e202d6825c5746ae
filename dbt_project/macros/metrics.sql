{#- Metric definitions of the product spec §3, written once and used by every mart. -#}

{% macro interactions(likes, comments, shares) -%}
    ({{ likes }} + {{ comments }} + {{ shares }})
{%- endmacro %}

{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro content_id_from_title(title, published_at) -%}
    {#- exports without an id (小红书, 抖音 creator centre): a stable id from title and publish time -#}
    substr(md5(coalesce({{ title }}, '') || '|' || {{ timestamp_text(published_at) }}), 1, 16)
{%- endmacro %}
