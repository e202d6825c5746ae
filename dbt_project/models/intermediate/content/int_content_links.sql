{#- The id other files use for a content (comments, orders, ad spend, leads, A/B tests, campaigns)
    mapped to its content_key. 公众号 (msgid from 内容url), 视频号 (视频ID) and 快手 (作品ID) exports
    carry it; 小红书, 抖音 and B站 exports do not, so their contents are linked only where the
    ab_tests template names a content by id and title (and the title matches exactly one content
    of that platform), or where a per-video sales list (抖音电商罗盘) states the video's id beside
    the title and publish time that identify the content (int_content_sales_links; its match
    method is kept as `sales_title_time` / `sales_title_date`). One row per platform and linked
    id, and per content. -#}

{{ config(materialized='table') }}

with

contents as (

    select * from {{ ref('int_contents_latest') }}

),

ab_tests as (

    select * from {{ ref('stg_brand__ab_tests') }}

),

export_links as (

    select
        content_key,
        platform,
        account_id,
        linked_id,
        'export' as link_source,
        1 as link_priority
    from contents
    where linked_id is not null

),

sales_links as (

    select
        content_key,
        platform,
        account_id,
        video_id as linked_id,
        'sales_' || match_method as link_source,
        2 as link_priority
    from {{ ref('int_content_sales_links') }}
    where content_key is not null and video_id is not null and match_method != 'id'

),

titled as (

    select distinct
        platform,
        linked_content_id,
        content_title
    from ab_tests
    where linked_content_id is not null and content_title is not null

),

title_matches as (

    select
        contents.content_key,
        titled.platform,
        contents.account_id,
        titled.linked_content_id as linked_id,
        'ab_tests_title' as link_source,
        3 as link_priority,
        count(*) over (partition by titled.platform, titled.linked_content_id) as matches
    from titled
    inner join contents
        on
            titled.platform = contents.platform
            and titled.content_title = contents.title
    where contents.linked_id is null

),

unioned as (

    select * from export_links
    union all
    select * from sales_links
    union all
    select
        content_key,
        platform,
        account_id,
        linked_id,
        link_source,
        link_priority
    from title_matches
    where matches = 1

),

ranked as (

    select
        *,
        row_number() over (
            partition by platform, linked_id order by link_priority, content_key
        ) as rank_by_id,
        row_number() over (
            partition by content_key order by link_priority, linked_id
        ) as rank_by_content
    from unioned

),

final as (

    select
        content_key,
        platform,
        account_id,
        linked_id,
        link_source
    from ranked
    where rank_by_id = 1 and rank_by_content = 1

)

select * from final
