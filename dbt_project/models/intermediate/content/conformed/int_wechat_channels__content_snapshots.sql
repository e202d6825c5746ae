{#- 视频号 视频列表 (video_list) snapshots on the content snapshot contract
    (macros/content_snapshots.sql); the export states the publish date only. -#}

{{ config(materialized='ephemeral') }}

with

snapshots as (

    select * from {{ ref('stg_wechat_channels__video_list') }}

),

final as (

    select
        {{ conform_content_snapshot(
            present=[
                'likes', 'comments', 'shares', 'recommends', 'followers_gained', 'completion_rate', 'avg_watch_seconds'
            ],
            computed={
                'linked_id': "linked_content_id",
                'published_time_known': "false",
                'source_report': "'video_list'"
            }
        ) }}
    from snapshots

)

select * from final
