{#- Engagement by the weekday and hour of publishing (Shanghai), per platform, over every content
    at its latest snapshot whose export states the publish time (公众号 and 视频号 exports state the
    date only, so they are left out). avg_views = sum(views) / contents with known views;
    interaction_rate = sum(interactions) / sum(views) over contents where all are known. -#}

with

contents as (

    select * from {{ ref('int_contents_latest') }}
    where published_time_known

),

scored as (

    select
        platform,
        {{ shanghai_iso_weekday('published_at') }} as weekday,
        {{ shanghai_hour('published_at') }} as hour,
        views,
        {{ interactions('likes', 'comments', 'shares') }} as interactions,
        {{ is_viral('views') }} as is_viral
    from contents

),

final as (

    select
        platform,
        weekday,
        hour,
        cast(count(*) as bigint) as contents,
        cast(sum(views) as bigint) as views,
        {{ safe_ratio('sum(views)', 'count(views)') }} as avg_views,
        {{ safe_ratio(
            'sum(case when views is not null then interactions end)',
            'sum(case when interactions is not null then views end)'
        ) }} as interaction_rate,
        cast(sum(case when is_viral then 1 else 0 end) as bigint) as viral_contents
    from scored
    group by platform, weekday, hour

)

select * from final
