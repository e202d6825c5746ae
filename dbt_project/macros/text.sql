{#- Text helpers that differ between DuckDB and PostgreSQL. -#}

{#- the first capture group of a regular expression, or NULL -#}
{% macro regex_extract(column, pattern) -%}
    {{ return(adapter.dispatch('regex_extract', 'newmedia')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(column, pattern) -%}
    nullif(regexp_extract({{ column }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{% macro postgres__regex_extract(column, pattern) -%}
    substring({{ column }} from '{{ pattern }}')
{%- endmacro %}

{% macro regex_matches(column, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'newmedia')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(column, pattern) -%}
    regexp_matches({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_matches(column, pattern) -%}
    ({{ column }} ~ '{{ pattern }}')
{%- endmacro %}

{#- one row per element of a delimited text (use in the select list) -#}
{% macro unnest_split(column, delimiter) -%}
    {{ return(adapter.dispatch('unnest_split', 'newmedia')(column, delimiter)) }}
{%- endmacro %}

{% macro default__unnest_split(column, delimiter) -%}
    unnest(string_split({{ column }}, '{{ delimiter }}'))
{%- endmacro %}

{% macro postgres__unnest_split(column, delimiter) -%}
    unnest(string_to_array({{ column }}, '{{ delimiter }}'))
{%- endmacro %}

{#- empty or whitespace-only text is missing -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- The platform id of what a template states: a registry id, Chinese name or alias (seed
    `platforms`, case-insensitive), 全部 for all platforms; an unregistered platform keeps its
    lower-cased text. -#}
{% macro platform_id(column) -%}
    case
        when nullif(trim({{ column }}), '') is null then null
        when trim({{ column }}) = '全部' then 'all'
        else coalesce(
            (
                select registry.platform_id from {{ ref('platforms') }} as registry
                where
                    strpos(
                        ' ' || lower(registry.platform_id || ' ' || registry.name_zh || ' '
                            || coalesce(registry.aliases, '')) || ' ',
                        ' ' || lower(trim({{ column }})) || ' '
                    ) > 0
            ),
            lower(trim({{ column }}))
        )
    end
{%- endmacro %}

{#- positive / neutral / negative from the labels monitoring tools give, else NULL -#}
{% macro sentiment_label(column) -%}
    case lower(trim({{ column }}))
        when 'positive' then 'positive'
        when 'pos' then 'positive'
        when '正面' then 'positive'
        when '积极' then 'positive'
        when '正向' then 'positive'
        when 'neutral' then 'neutral'
        when '中性' then 'neutral'
        when '中立' then 'neutral'
        when 'negative' then 'negative'
        when 'neg' then 'negative'
        when '负面' then 'negative'
        when '消极' then 'negative'
        when '负向' then 'negative'
    end
{%- endmacro %}

{#- 公众号 msgid (mid_idx) from an article url ...&mid=2650100010&idx=1&... -#}
{% macro wechat_msgid(url) -%}
    ({{ regex_extract(url, 'mid=([0-9]+)') }} || '_' || {{ regex_extract(url, 'idx=([0-9]+)') }})
{%- endmacro %}
