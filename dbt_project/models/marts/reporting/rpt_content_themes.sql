{#- 《新媒体趋势洞察报告》内容主题: per quarter and content theme (seed content_themes), the
    contents published, their views, avg_views = views / contents with known views, the
    interaction rate (ratio of sums over contents where views and interactions are known),
    against the quarter before, and a verdict: 新出现 (none the quarter before), 停止 (none this
    quarter), 衰退 (interaction rate down by at least var theme_fade_share, relative), 增长
    (more contents and a higher interaction rate), else 持平. A row for every theme with
    contents in the quarter or the one before. -#}

with

contents as (

    select * from {{ ref('int_report_contents') }}

),

theme_sums as (

    select
        quarter_start,
        theme,
        min(theme_order) as theme_order,
        cast(count(*) as bigint) as contents,
        cast(sum(views) as bigint) as views,
        {{ safe_ratio('sum(views)', 'count(views)') }} as avg_views,
        {{ safe_ratio(
            'sum(case when views is not null then interactions end)',
            'sum(case when interactions is not null then views end)'
        ) }} as interaction_rate
    from contents
    group by quarter_start, theme

),

keys as (

    {{ quarter_keys('theme_sums', ['theme', 'theme_order']) }}

),

compared as (

    select
        keys.quarter_start,
        keys.theme,
        keys.theme_order,
        coalesce(current_quarter.contents, 0) as contents,
        coalesce(previous_quarter.contents, 0) as contents_previous,
        current_quarter.views,
        current_quarter.avg_views,
        previous_quarter.avg_views as avg_views_previous,
        current_quarter.interaction_rate,
        previous_quarter.interaction_rate as interaction_rate_previous,
        {{ relative_change(
            'current_quarter.interaction_rate', 'previous_quarter.interaction_rate'
        ) }} as interaction_rate_qoq
    from keys
    {{ quarter_over_quarter_joins('keys', 'theme_sums', ['theme']) }}

),

final as (

    select
        {{ quarter_text('quarter_start') }} as quarter_label,
        quarter_start,
        theme,
        cast(theme_order as bigint) as theme_order,
        contents,
        contents_previous,
        views,
        avg_views,
        avg_views_previous,
        {{ relative_change('avg_views', 'avg_views_previous') }} as avg_views_qoq,
        interaction_rate,
        interaction_rate_previous,
        interaction_rate_qoq,
        case
            when contents > 0 and contents_previous = 0 then '新出现'
            when contents_previous > 0 and contents = 0 then '停止'
            when interaction_rate_qoq <= -{{ var('theme_fade_share') }} then '衰退'
            when contents > contents_previous and coalesce(interaction_rate_qoq, 0) > 0 then '增长'
            else '持平'
        end as verdict
    from compared

)

select * from final
