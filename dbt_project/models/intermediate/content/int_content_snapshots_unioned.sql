{#- Every platform's content snapshots on one column contract. A metric a platform does not
    export is null for it, never 0. One row per content, snapshot date and source row.
    公众号 articles (已通知内容) take 点赞, 评论, 收藏 and 在看 from the datacube article totals of the
    same msgid, as of the latest stat day on or before the snapshot date. -#}

with

xiaohongshu as (

    select
        platform,
        account_id,
        content_id,
        cast(null as text) as linked_id,
        title,
        content_type,
        published_at,
        true as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        cast(null as bigint) as readers,
        impressions,
        likes,
        comments,
        shares,
        collects,
        cast(null as bigint) as recommends,
        cast(null as bigint) as coins,
        danmaku,
        followers_gained,
        cast(null as double precision) as completion_rate,
        avg_watch_seconds,
        'note_list' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_xiaohongshu__note_list') }}

),

douyin as (

    select
        platform,
        account_id,
        content_id,
        cast(null as text) as linked_id,
        title,
        content_type,
        published_at,
        true as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        cast(null as bigint) as readers,
        cast(null as bigint) as impressions,
        likes,
        comments,
        shares,
        collects,
        cast(null as bigint) as recommends,
        cast(null as bigint) as coins,
        cast(null as bigint) as danmaku,
        followers_gained,
        completion_rate,
        avg_watch_seconds,
        'video_list' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_douyin__video_list') }}

),

bilibili as (

    select
        platform,
        account_id,
        content_id,
        cast(null as text) as linked_id,
        title,
        content_type,
        published_at,
        true as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        cast(null as bigint) as readers,
        cast(null as bigint) as impressions,
        likes,
        comments,
        shares,
        collects,
        cast(null as bigint) as recommends,
        coins,
        danmaku,
        followers_gained,
        cast(null as double precision) as completion_rate,
        cast(null as double precision) as avg_watch_seconds,
        'video_compare' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_bilibili__video_compare') }}

),

kuaishou as (

    select
        platform,
        account_id,
        content_id,
        linked_content_id as linked_id,
        title,
        content_type,
        published_at,
        true as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        cast(null as bigint) as readers,
        cast(null as bigint) as impressions,
        likes,
        comments,
        shares,
        cast(null as bigint) as collects,
        cast(null as bigint) as recommends,
        cast(null as bigint) as coins,
        cast(null as bigint) as danmaku,
        followers_gained,
        completion_rate,
        avg_watch_seconds,
        'video_list' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_kuaishou__video_list') }}

),

wechat_channels as (

    select
        platform,
        account_id,
        content_id,
        linked_content_id as linked_id,
        title,
        content_type,
        published_at,
        false as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        cast(null as bigint) as readers,
        cast(null as bigint) as impressions,
        likes,
        comments,
        shares,
        cast(null as bigint) as collects,
        recommends,
        cast(null as bigint) as coins,
        cast(null as bigint) as danmaku,
        followers_gained,
        completion_rate,
        avg_watch_seconds,
        'video_list' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_wechat_channels__video_list') }}

),

wechat_oa_articles as (

    select * from {{ ref('stg_wechat_oa__article_7day') }}

),

wechat_oa_datacube as (

    select * from {{ ref('stg_wechat_oa__datacube_article_total') }}
    where stat_date is not null

),

wechat_oa_matched as (

    select
        wechat_oa_articles.*,
        wechat_oa_datacube.likes,
        wechat_oa_datacube.comments,
        wechat_oa_datacube.collects,
        wechat_oa_datacube.recommends,
        row_number() over (
            partition by wechat_oa_articles.file_sha256, wechat_oa_articles.file_row_number
            order by wechat_oa_datacube.stat_date desc, wechat_oa_datacube.ingested_at desc
        ) as datacube_recency
    from wechat_oa_articles
    left join wechat_oa_datacube
        on
            wechat_oa_articles.account_id = wechat_oa_datacube.account_id
            and wechat_oa_articles.msgid = wechat_oa_datacube.msgid
            and wechat_oa_articles.snapshot_date >= wechat_oa_datacube.stat_date

),

wechat_oa as (

    select
        platform,
        account_id,
        content_id,
        msgid as linked_id,
        title,
        content_type,
        published_at,
        false as published_time_known,
        snapshot_date,
        views,
        views_is_capped,
        readers,
        cast(null as bigint) as impressions,
        likes,
        comments,
        shares,
        collects,
        recommends,
        cast(null as bigint) as coins,
        cast(null as bigint) as danmaku,
        followers_gained,
        completion_rate,
        cast(null as double precision) as avg_watch_seconds,
        'article_7day' as source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from wechat_oa_matched
    where datacube_recency = 1

),

unioned as (

    select * from wechat_oa
    union all
    select * from wechat_channels
    union all
    select * from douyin
    union all
    select * from xiaohongshu
    union all
    select * from bilibili
    union all
    select * from kuaishou

),

final as (

    select
        {{ dbt.hash("platform || '|' || account_id || '|' || content_id") }} as content_key,
        *
    from unioned

)

select * from final
