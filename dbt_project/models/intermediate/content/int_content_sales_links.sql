{#- Every video of the per-video sales lists (抖音电商罗盘 / 巨量百应) at its latest snapshot, linked
    to its content with the method that found it:
    - `id`: a content whose export carries the same id (the video id other files use);
    - `title_time`: the same account, the same title and the same publish time to the minute;
    - `title_date`: the same account and title, published the same day (a list that states the
      publish date only), where exactly one content qualifies;
    - `unmatched`: none of these (content_key NULL): its sales are kept, not attributed.
    match_quality says how sure the link is: high (id, title and time), medium (title and day),
    none. A title shared by two contents of one account on one day links neither.
    A table: two marts and its tests read it, so it is computed once per run. -#}

{{ config(materialized='table') }}

with

sales as (

    select
        *,
        row_number() over (
            partition by platform, account_id, video_key
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('int_content_sales') }}

),

latest as (

    select * from sales
    where recency = 1

),

contents as (

    select
        content_key,
        platform,
        account_id,
        linked_id,
        trim(title) as title,
        published_date,
        substr({{ timestamp_text('published_at') }}, 1, 16) as published_minute
    from {{ ref('int_contents_latest') }}

),

by_id as (

    select
        latest.platform,
        latest.account_id,
        latest.video_key,
        contents.content_key,
        'id' as match_method,
        1 as match_priority
    from latest
    inner join contents
        on
            latest.platform = contents.platform
            and latest.video_id = contents.linked_id

),

by_title_time as (

    select
        latest.platform,
        latest.account_id,
        latest.video_key,
        contents.content_key,
        'title_time' as match_method,
        2 as match_priority,
        count(*) over (
            partition by latest.platform, latest.account_id, latest.video_key
        ) as candidates
    from latest
    inner join contents
        on
            latest.platform = contents.platform
            and latest.account_id = contents.account_id
            and latest.title = contents.title
            and substr({{ timestamp_text('latest.published_at') }}, 1, 16)
            = contents.published_minute

),

by_title_date as (

    select
        latest.platform,
        latest.account_id,
        latest.video_key,
        contents.content_key,
        'title_date' as match_method,
        3 as match_priority,
        count(*) over (
            partition by latest.platform, latest.account_id, latest.video_key
        ) as candidates
    from latest
    inner join contents
        on
            latest.platform = contents.platform
            and latest.account_id = contents.account_id
            and latest.title = contents.title
            and latest.published_date = contents.published_date

),

matches as (

    select * from by_id
    union all
    select
        platform,
        account_id,
        video_key,
        content_key,
        match_method,
        match_priority
    from by_title_time
    where candidates = 1
    union all
    select
        platform,
        account_id,
        video_key,
        content_key,
        match_method,
        match_priority
    from by_title_date
    where candidates = 1

),

best as (

    select
        *,
        row_number() over (
            partition by platform, account_id, video_key
            order by match_priority, content_key
        ) as rank_by_video,
        row_number() over (
            partition by content_key
            order by match_priority, video_key
        ) as rank_by_content
    from matches

),

kept as (

    select * from best
    where rank_by_video = 1 and rank_by_content = 1

),

final as (

    select
        latest.platform,
        latest.account_id,
        latest.video_key,
        latest.video_id,
        latest.title,
        latest.published_at,
        latest.published_date,
        kept.content_key,
        coalesce(kept.match_method, 'unmatched') as match_method,
        case
            when kept.match_method in ('id', 'title_time') then 'high'
            when kept.match_method = 'title_date' then 'medium'
            else 'none'
        end as match_quality,
        latest.views,
        latest.viewers,
        latest.product_clicks,
        latest.orders,
        latest.buyers,
        latest.gmv,
        latest.live_referral_gmv,
        latest.snapshot_date
    from latest
    left join kept
        on
            latest.platform = kept.platform
            and latest.account_id = kept.account_id
            and latest.video_key = kept.video_key

)

select * from final
