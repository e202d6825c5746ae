{#- 抖音 作品列表 (video_list) snapshots on the content snapshot
    contract (macros/content_snapshots.sql). -#}

{{ config(materialized='ephemeral') }}

with

snapshots as (

    select * from {{ ref('stg_douyin__video_list') }}

),

final as (

    select
        {{ conform_content_snapshot(
            present=[
                'likes', 'comments', 'shares', 'collects', 'followers_gained', 'completion_rate', 'avg_watch_seconds'
            ],
            computed={
                'published_time_known': "true",
                'source_report': "'video_list'"
            }
        ) }}
    from snapshots

)

select * from final
