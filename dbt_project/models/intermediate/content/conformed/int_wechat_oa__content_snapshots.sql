{#- 公众号 已通知内容 (article_7day) snapshots on the content snapshot contract
    (macros/content_snapshots.sql). The export states the publish date only; 点赞, 评论, 收藏 and
    在看 come from the datacube article totals of the same msgid, as of the latest stat day on or
    before the snapshot date. -#}

{{ config(materialized='ephemeral') }}

with

articles as (

    select * from {{ ref('stg_wechat_oa__article_7day') }}

),

datacube as (

    select * from {{ ref('stg_wechat_oa__datacube_article_total') }}
    where stat_date is not null

),

matched as (

    select
        articles.*,
        datacube.likes,
        datacube.comments,
        datacube.collects,
        datacube.recommends,
        row_number() over (
            partition by articles.file_sha256, articles.file_row_number
            order by datacube.stat_date desc, datacube.ingested_at desc
        ) as datacube_recency
    from articles
    left join datacube
        on
            articles.account_id = datacube.account_id
            and articles.msgid = datacube.msgid
            and articles.snapshot_date >= datacube.stat_date

),

final as (

    select
        {{ conform_content_snapshot(
            present=[
                'readers', 'likes', 'comments', 'shares', 'collects', 'recommends',
                'followers_gained', 'completion_rate'
            ],
            computed={
                'linked_id': "msgid",
                'published_time_known': "false",
                'source_report': "'article_7day'"
            }
        ) }}
    from matched
    where datacube_recency = 1

)

select * from final
