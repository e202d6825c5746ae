{#- Every brand mention and every comment on the brand's contents (brand replies excluded), with
    its sentiment and the brand's first response. Sentiment is the label the source carries:
    mentions carry the monitoring tool's label where it gave one; MediaCrawler comments carry
    none, so they are `unclassified` until a classifier labels them. A mention's platform outside
    the six content platforms, weibo and zhihu is `other`. The response SLA is met when the first
    response came within 1 hour (3600 s) of the item. -#}

with

mentions as (

    select
        *,
        row_number() over (
            partition by mention_id
            order by snapshot_date desc, ingested_at desc, file_sha256 desc, file_row_number desc
        ) as recency
    from {{ ref('stg_brand__mentions') }}

),

comments as (

    select * from {{ ref('int_comments') }}
    where not is_brand_reply

),

unioned as (

    select
        'mention' as item_type,
        mention_id as item_id,
        case
            when
                platform in (
                    'wechat_oa',
                    'wechat_channels',
                    'douyin',
                    'xiaohongshu',
                    'bilibili',
                    'kuaishou',
                    'weibo',
                    'zhihu'
                )
                then platform
            else 'other'
        end as platform,
        cast(null as text) as account_id,
        cast(null as text) as linked_content_id,
        mention_text as item_text,
        url,
        matched_keyword,
        coalesce(sentiment, 'unclassified') as sentiment,
        case when sentiment is null then 'none' else 'source_label' end as sentiment_source,
        mentioned_at as created_at,
        mentioned_date as created_date,
        first_response_at,
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
        'unclassified' as sentiment,
        'none' as sentiment_source,
        created_at,
        created_date,
        first_brand_response_at as first_response_at,
        ingested_at
    from comments

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
        sentiment,
        sentiment_source,
        created_at,
        created_date,
        first_response_at,
        {{ seconds_between('created_at', 'first_response_at') }} as response_seconds,
        coalesce(
            {{ seconds_between('created_at', 'first_response_at') }} <= 3600, false
        ) as is_responded_1h,
        ingested_at
    from unioned

)

select * from final
