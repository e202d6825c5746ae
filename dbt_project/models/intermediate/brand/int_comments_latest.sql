{#- Comments of 小红书, 抖音, B站 and 快手 (MediaCrawler) at their latest snapshot: one row per
    platform and comment id (the snapshot ingested last wins), before any brand logic.
    Incremental (delete+insert on platform × comment id): a run re-ranks every snapshot of the
    comments that appear in a snapshot within `lookback_days` of the latest one already built or
    in a file ingested since the last run. `text_hash` is the md5 of the text (`dbt.hash`, the key
    of the classifier's labels, stg_sentiment__labels), computed once when the comment lands so
    the incremental sentiment models join labels on it instead of hashing every text again. -#}

{{
    config(
        materialized='incremental',
        unique_key=['platform', 'comment_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with

comments as (

    select * from {{ ref('stg_xiaohongshu__comments') }}
    union all
    select * from {{ ref('stg_douyin__comments') }}
    union all
    select * from {{ ref('stg_bilibili__comments') }}
    union all
    select * from {{ ref('stg_kuaishou__comments') }}

),

{% if is_incremental() %}
changed as (

    select distinct
        platform,
        comment_id
    from comments
    where {{ incremental_window_filter() }}

),
{% endif %}

ranked as (

    select
        comments.*,
        row_number() over (
            partition by comments.platform, comments.comment_id
            order by {{ latest_first('comments') }}
        ) as recency
    from comments
    {% if is_incremental() %}
        inner join changed
            on
                comments.platform = changed.platform
                and comments.comment_id = changed.comment_id
    {% endif %}

),

final as (

    select
        platform,
        account_id,
        comment_id,
        linked_content_id,
        parent_comment_id,
        user_hash,
        comment_text,
        {{ dbt.hash('comment_text') }} as text_hash,
        like_count,
        created_at,
        snapshot_date,
        ingested_at
    from ranked
    where recency = 1

)

select * from final
