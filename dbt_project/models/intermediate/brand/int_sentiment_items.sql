{#- Every brand mention and every comment on the brand's contents (brand replies excluded), with
    its sentiment and the brand's first response. The sentiment is, first that applies:
    1. override: the latest manual label of the item (sentiment_overrides template; a comment
       matched by platform and comment id, a mention by its mention id);
    2. source_label: the monitoring tool's label of a mention, where the tool gave one;
    3. lexicon: the packaged classifier's label of the text (sentiment, written to the
       raw layer by prepare_warehouse, joined on the md5 of the text);
    else `unclassified` (no text, or the labels were not written yet). The tool's and the
    lexicon's labels are kept beside it. A mention's platform outside the six content platforms,
    weibo and zhihu is `other`. The response SLA is met when the first response came within
    1 hour (3600 s) of the item.
    Incremental (delete+insert on item_key; the macros in sentiment_incremental.sql).
    `inputs_changed_at` is the newest arrival among the rows the item is built from: its comment
    (or any snapshot of its mention), replies to it, the brand accounts of its platform, overrides
    of it and its text's label (`ingested_at`, `classified_at`); it depends on the data alone, so
    a full refresh and an incremental run agree. Its newest value in the model is the newest
    arrival the model was built from (a label is written after the ingest of its text: the newest
    `ingested_at` would count every label of the last run as new). A run rebuilds only the items
    whose comment, mention, replies, brand accounts, override or label arrived after it; a
    pre-hook deletes them first by natural key. The incremental readers (mart_sentiment_items,
    int_sentiment_item_topics) take their changed items from `inputs_changed_at`
    (`sentiment_changed_downstream`) instead of working them out from the inputs again.
    mart_sentiment_items, mart_sentiment_daily and mart_user_needs_weekly read this table. -#}

{{
    config(
        materialized='incremental',
        unique_key='item_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_sentiment_items() }}"
    )
}}

-- what sentiment_changed_items reads:
-- depends_on: {{ ref('int_comments_latest') }}, {{ ref('stg_brand__brand_accounts') }}
-- depends_on: {{ ref('stg_brand__mentions') }}, {{ ref('stg_brand__sentiment_overrides') }}
-- depends_on: {{ ref('stg_sentiment__labels') }}
{%- set bound = incremental_max('inputs_changed_at') %}

with

{% if bound is not none %}
changed as (

    {{ sentiment_changed_items(bound) }}

),
{% endif %}

mentions as (

    select
        *,
        row_number() over (
            partition by mention_id
            order by {{ latest_first() }}
        ) as recency,
        max(ingested_at) over (partition by mention_id) as last_ingested_at
    from {{ ref('stg_brand__mentions') }}
    {% if bound is not none %}
        where mention_id in (select changed.item_id from changed where changed.item_type = 'mention')
    {% endif %}

),

comments as (

    select * from {{ ref('int_comments') }}
    where not is_brand_reply
    {% if bound is not none %}
        and comment_id in (select changed.item_id from changed where changed.item_type = 'comment')
    {% endif %}

),

replies as (

    select
        platform,
        parent_comment_id,
        max(ingested_at) as last_ingested_at
    from {{ ref('int_comments') }}
    where parent_comment_id is not null
    {% if bound is not none %}
        and parent_comment_id in (select changed.item_id from changed where changed.item_type = 'comment')
    {% endif %}
    group by platform, parent_comment_id

),

brand_accounts as (

    select
        platform,
        max(ingested_at) as last_ingested_at
    from {{ ref('stg_brand__brand_accounts') }}
    group by platform

),

override_arrivals as (

    select
        item_type,
        case when item_type = 'comment' then platform end as platform,
        item_id,
        max(ingested_at) as last_ingested_at
    from {{ ref('stg_brand__sentiment_overrides') }}
    where item_type is not null
    group by item_type, case when item_type = 'comment' then platform end, item_id

),

comments_arrived as (

    select
        comments.*,
        greatest(
            comments.ingested_at, replies.last_ingested_at, brand_accounts.last_ingested_at
        ) as arrived_at
    from comments
    left join replies
        on
            comments.platform = replies.platform
            and comments.comment_id = replies.parent_comment_id
    left join brand_accounts
        on comments.platform = brand_accounts.platform

),

lexicon_labels as (

    select * from {{ ref('stg_sentiment__labels') }}

),

overrides as (

    select
        *,
        row_number() over (
            partition by
                item_type,
                case when item_type = 'comment' then platform end,
                item_id
            order by
                reviewed_at desc nulls last,
                snapshot_date desc,
                ingested_at desc,
                file_sha256 desc,
                file_row_number asc
        ) as recency
    from {{ ref('stg_brand__sentiment_overrides') }}
    where item_type is not null and sentiment is not null

),

unioned as (

    select
        'mention' as item_type,
        mention_id as item_id,
        case
            when
                platform in (
                    select platforms.platform_id from {{ ref('platforms') }} as platforms
                    where platforms.kind in ('content', 'listening')
                )
                then platform
            else 'other'
        end as platform,
        cast(null as text) as account_id,
        cast(null as text) as linked_content_id,
        mention_text as item_text,
        url,
        matched_keyword,
        sentiment as source_label,
        mentioned_at as created_at,
        mentioned_date as created_date,
        first_response_at,
        last_ingested_at as arrived_at,
        ingested_at
    from mentions
    where recency = 1

    union all

    select
        'comment' as item_type,
        comment_id as item_id,
        platform,
        account_id,
        linked_content_id,
        comment_text as item_text,
        cast(null as text) as url,
        cast(null as text) as matched_keyword,
        cast(null as text) as source_label,
        created_at,
        created_date,
        first_brand_response_at as first_response_at,
        arrived_at,
        ingested_at
    from comments_arrived

),

labelled as (

    select
        unioned.*,
        lexicon_labels.lexicon_label,
        lexicon_labels.lexicon_score,
        lexicon_labels.negative_probability,
        lexicon_labels.lexicon_version,
        overrides.sentiment as override_label,
        overrides.reason as override_reason,
        overrides.reviewed_by as override_by,
        greatest(
            unioned.arrived_at,
            override_arrivals.last_ingested_at,
            lexicon_labels.classified_at
        ) as inputs_changed_at
    from unioned
    left join lexicon_labels
        on {{ dbt.hash('unioned.item_text') }} = lexicon_labels.text_hash
    left join overrides
        on
            unioned.item_type = overrides.item_type
            and unioned.item_id = overrides.item_id
            and (overrides.item_type = 'mention' or unioned.platform = overrides.platform)
            and overrides.recency = 1
    left join override_arrivals
        on
            unioned.item_type = override_arrivals.item_type
            and unioned.item_id = override_arrivals.item_id
            and (
                override_arrivals.item_type = 'mention'
                or unioned.platform = override_arrivals.platform
            )

),

final as (

    select
        {{ dbt.hash("item_type || '|' || platform || '|' || item_id") }} as item_key,
        item_type,
        item_id,
        platform,
        account_id,
        linked_content_id,
        item_text,
        url,
        matched_keyword,
        coalesce(override_label, source_label, lexicon_label, 'unclassified') as sentiment,
        case
            when override_label is not null then 'override'
            when source_label is not null then 'source_label'
            when lexicon_label is not null then 'lexicon'
            else 'none'
        end as sentiment_source,
        source_label,
        lexicon_label,
        lexicon_score,
        negative_probability,
        lexicon_version,
        override_reason,
        override_by,
        created_at,
        created_date,
        first_response_at,
        {{ seconds_between('created_at', 'first_response_at') }} as response_seconds,
        coalesce(
            {{ seconds_between('created_at', 'first_response_at') }} <= 3600, false
        ) as is_responded_1h,
        ingested_at,
        inputs_changed_at
    from labelled
    {% if bound is not none %}
        where {{ sentiment_item_in('changed', 'labelled') }}
    {% endif %}

)

select * from final
