{#- The user-need topic of every mention and comment with a text: the topic of the first keyword
    group (seed user_need_keywords, lowest priority, then keyword) with a keyword inside the
    text, else `other`. mart_user_needs_weekly counts them per week.
    Incremental like mart_sentiment_items (the macros in sentiment_incremental.sql): a run
    classifies only the items of int_sentiment_items whose `inputs_changed_at` is after the
    newest one in the model, and every item again when the keyword seed changed
    (`keywords_digest`). -#}

{{
    config(
        materialized='incremental',
        unique_key='item_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_downstream_items() }}"
    )
}}

-- what delete_changed_downstream_items reads:
-- depends_on: {{ ref('stg_brand__brand_accounts') }}
{%- set digest_sql -%}
    select
        {{ dbt.hash(
            "string_agg(topic || '|' || keyword || '|' || cast(priority as "
            ~ dbt.type_string() ~ "), ',' order by topic, keyword, priority)"
        ) }}
    from {{ ref('user_need_keywords') }}
{%- endset -%}
{%- set bound = incremental_max('inputs_changed_at') -%}
{%- if bound is not none -%}
    {%- set current_digest = run_query(digest_sql).rows[0][0] -%}
    {%- if incremental_max('keywords_digest') != current_digest -%}
        {%- set bound = none -%}
    {%- endif -%}
{%- endif %}

with

with_text as (

    select
        item_key,
        item_type,
        platform,
        item_id,
        item_text,
        ingested_at,
        inputs_changed_at
    from {{ ref('int_sentiment_items') }}
    where item_text is not null

),

items as (

    select * from with_text
    {% if bound is not none %}
        where {{ sentiment_changed_downstream(bound, 'with_text') }}
    {% endif %}

),

keywords as (

    select * from {{ ref('user_need_keywords') }}

),

matches as (

    select
        items.item_key,
        keywords.topic,
        row_number() over (
            partition by items.item_key
            order by keywords.priority asc, keywords.keyword asc
        ) as match_rank
    from items
    inner join keywords on strpos(items.item_text, keywords.keyword) > 0

),

final as (

    select
        items.item_key,
        items.item_type,
        items.platform,
        items.item_id,
        coalesce(matches.topic, 'other') as topic,
        ({{ digest_sql }}) as keywords_digest,
        items.ingested_at,
        items.inputs_changed_at
    from items
    left join matches
        on
            items.item_key = matches.item_key
            and matches.match_rank = 1

)

select * from final
