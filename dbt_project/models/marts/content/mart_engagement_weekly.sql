{#- Content performance per platform, account and ISO week of publishing, each content counted at
    its latest snapshot. Rates are ratios of sums; a capped "10万+" counts as viral. -#}

with

contents as (

    select * from {{ ref('int_contents_latest') }}

),

scored as (

    select
        platform,
        account_id,
        {{ iso_week('published_date') }} as week,
        {{ week_start('published_date') }} as week_start,
        views,
        {{ interactions('likes', 'comments', 'shares') }} as interactions,
        case
            when views is null then null
            when views >= {{ var('viral_views_threshold') }} then 1
            else 0
        end as is_viral
    from contents

),

weekly as (

    select
        platform,
        account_id,
        week,
        week_start,
        count(*) as contents_published,
        cast(sum(views) as bigint) as views,
        cast(sum(interactions) as bigint) as interactions,
        sum(case when views is not null then interactions end) as rated_interactions,
        sum(case when interactions is not null then views end) as rated_views,
        count(views) as contents_with_views,
        cast(sum(is_viral) as bigint) as viral_contents
    from scored
    group by platform, account_id, week, week_start

),

final as (

    select
        platform,
        account_id,
        week,
        week_start,
        contents_published,
        views,
        interactions,
        {{ safe_ratio('rated_interactions', 'rated_views') }} as interaction_rate,
        {{ safe_ratio('views', 'contents_with_views') }} as avg_views_per_content,
        coalesce(viral_contents, 0) as viral_contents,
        {{ safe_ratio('coalesce(viral_contents, 0)', 'contents_published') }} as viral_share
    from weekly

)

select * from final
