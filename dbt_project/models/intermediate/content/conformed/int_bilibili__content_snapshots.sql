{#- B站 稿件对比 (video_compare) snapshots on the content snapshot
    contract (macros/content_snapshots.sql). -#}

{{ config(materialized='ephemeral') }}

with

snapshots as (

    select * from {{ ref('stg_bilibili__video_compare') }}

),

final as (

    select
        {{ conform_content_snapshot(
            present=[
                'likes', 'comments', 'shares', 'collects', 'coins', 'danmaku', 'followers_gained'
            ],
            computed={
                'published_time_known': "true",
                'source_report': "'video_compare'"
            }
        ) }}
    from snapshots

)

select * from final
