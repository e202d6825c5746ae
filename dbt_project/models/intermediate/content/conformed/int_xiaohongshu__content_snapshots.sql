{#- 小红书 笔记列表 (note_list) snapshots on the content snapshot
    contract (macros/content_snapshots.sql). -#}

{{ config(materialized='ephemeral') }}

with

snapshots as (

    select * from {{ ref('stg_xiaohongshu__note_list') }}

),

final as (

    select
        {{ conform_content_snapshot(
            present=[
                'impressions', 'likes', 'comments', 'shares', 'collects', 'danmaku', 'followers_gained', 'avg_watch_seconds'
            ],
            computed={
                'published_time_known': "true",
                'source_report': "'note_list'"
            }
        ) }}
    from snapshots

)

select * from final
