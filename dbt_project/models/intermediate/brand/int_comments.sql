{#- Comments of 小红书, 抖音, B站 and 快手 (MediaCrawler), one row per platform and comment id (the
    snapshot ingested last wins). A comment is a brand reply when its (hashed) author is one of
    the brand's author ids for that platform (brand_accounts template, hashed the same way). A
    comment's first brand response is the earliest brand reply whose parent is that comment.
    The latest snapshots come from the incremental int_comments_latest; the brand flags and first
    responses are derived here on every read, so a new reply or brand account is never stale. -#}

{{ config(materialized='table') }}

with

latest as (

    select * from {{ ref('int_comments_latest') }}

),

brand_authors as (

    select distinct
        platform,
        author_hash
    from {{ ref('stg_brand__brand_accounts') }}
    where author_hash is not null

),

flagged as (

    select
        latest.*,
        brand_authors.author_hash is not null as is_brand_reply
    from latest
    left join brand_authors
        on
            latest.platform = brand_authors.platform
            and latest.user_hash = brand_authors.author_hash

),

first_responses as (

    select
        platform,
        parent_comment_id,
        min(created_at) as first_brand_response_at
    from flagged
    where is_brand_reply and parent_comment_id is not null
    group by platform, parent_comment_id

),

final as (

    select
        flagged.platform,
        flagged.account_id,
        flagged.comment_id,
        flagged.linked_content_id,
        flagged.parent_comment_id,
        flagged.parent_comment_id is null as is_top_level,
        flagged.is_brand_reply,
        flagged.user_hash,
        flagged.comment_text,
        flagged.like_count,
        flagged.created_at,
        {{ shanghai_date('flagged.created_at') }} as created_date,
        first_responses.first_brand_response_at,
        flagged.snapshot_date,
        flagged.ingested_at
    from flagged
    left join first_responses
        on
            flagged.platform = first_responses.platform
            and flagged.comment_id = first_responses.parent_comment_id

)

select * from final
