{#- A/B test variants (the snapshot ingested last wins per test and variant) with the numbers of
    the content that carries each variant, at its latest snapshot. Where the content export
    states impressions (小红书 曝光), the variant's impressions are 曝光 and its clicks the views
    (观看量: a view is a click on the cover); elsewhere impressions are the views and clicks the
    interactions (likes + comments + shares). -#}

with

variants as (

    select
        *,
        row_number() over (
            partition by test_id, variant
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__ab_tests') }}

),

links as (

    select * from {{ ref('int_content_links') }}

),

contents as (

    select * from {{ ref('int_contents_latest') }}

),

matched as (

    select
        variants.test_id,
        variants.variant,
        variants.hypothesis,
        coalesce(variants.platform, contents.platform) as platform,
        variants.linked_content_id,
        variants.content_title,
        variants.started_at,
        variants.ended_at,
        contents.content_key,
        contents.impressions,
        contents.views,
        {{ interactions('contents.likes', 'contents.comments', 'contents.shares') }}
            as interactions
    from variants
    left join links
        on
            variants.platform = links.platform
            and variants.linked_content_id = links.linked_id
    left join contents on links.content_key = contents.content_key
    where variants.recency = 1

),

final as (

    select
        test_id,
        variant,
        hypothesis,
        platform,
        linked_content_id,
        content_title,
        content_key,
        started_at,
        ended_at,
        case
            when content_key is null then 'unmatched'
            when impressions > 0 then 'cover_ctr'
            else 'engagement'
        end as metric_basis,
        case when impressions > 0 then impressions else views end as impressions,
        case when impressions > 0 then views else interactions end as clicks
    from matched

)

select * from final
