{#- Every content of mart_content_performance with what the quarterly report groups it by: the
    quarter it was published in, its theme (seed content_themes: the theme of the lowest
    theme_order whose keyword is in the lower-cased title, else 其他) and, where its export
    states the publish time (dim_contents.published_time_known; 公众号 and 视频号 give the date
    only), the Shanghai hour and time-of-day slot (seed posting_time_slots). -#}

with

performance as (

    select * from {{ ref('mart_content_performance') }}

),

contents as (

    select * from {{ ref('dim_contents') }}

),

themes as (

    select * from {{ ref('content_themes') }}

),

slots as (

    select * from {{ ref('posting_time_slots') }}

),

timed as (

    select
        performance.content_key,
        performance.platform,
        performance.account_id,
        performance.title,
        performance.published_date,
        contents.published_at,
        performance.views,
        performance.interactions,
        performance.is_viral,
        coalesce(contents.published_time_known, true) as published_time_known,
        case
            when coalesce(contents.published_time_known, true)
                then {{ shanghai_hour('contents.published_at') }}
        end as published_hour
    from performance
    left join contents on performance.content_key = contents.content_key

),

theme_matches as (

    select
        timed.content_key,
        themes.theme,
        themes.theme_order,
        row_number() over (
            partition by timed.content_key
            order by themes.theme_order, themes.theme
        ) as match_rank
    from timed
    inner join themes
        on strpos(lower(timed.title), lower(themes.keyword)) > 0

),

final as (

    select
        timed.content_key,
        timed.platform,
        timed.account_id,
        timed.title,
        timed.published_date,
        {{ quarter_start('timed.published_date') }} as quarter_start,
        timed.published_at,
        timed.published_time_known,
        timed.published_hour,
        slots.slot,
        slots.slot_order,
        coalesce(theme_matches.theme, '其他') as theme,
        coalesce(theme_matches.theme_order, 99) as theme_order,
        timed.views,
        timed.interactions,
        timed.is_viral
    from timed
    left join theme_matches
        on
            timed.content_key = theme_matches.content_key
            and theme_matches.match_rank = 1
    left join slots
        on
            timed.published_hour >= slots.start_hour
            and timed.published_hour < slots.end_hour

)

select * from final
