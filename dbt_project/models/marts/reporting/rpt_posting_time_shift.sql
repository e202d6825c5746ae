{#- 《新媒体趋势洞察报告》最佳时段: per quarter and platform whose exports state the publish time
    (seed platforms.publish_time_known) with contents published in the quarter, the
    time-of-day slot (seed posting_time_slots) with the highest avg_views (views / contents
    with known views; unknown counts as 0; a tie goes to the first slot name in code-point
    order) in the quarter and in the quarter before, and whether it moved (NULL when either
    quarter has no timed contents). -#}

with

contents as (

    select * from {{ ref('int_report_contents') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

slot_sums as (

    select
        quarter_start,
        platform,
        slot,
        {{ safe_ratio('sum(views)', 'count(views)') }} as avg_views
    from contents
    where slot is not null
    group by quarter_start, platform, slot

),

ranked as (

    select
        quarter_start,
        platform,
        slot,
        avg_views,
        row_number() over (
            partition by quarter_start, platform
            order by coalesce(avg_views, 0) desc, slot
        ) as slot_rank
    from slot_sums

),

best as (

    select * from ranked
    where slot_rank = 1

),

published as (

    select distinct
        contents.quarter_start,
        contents.platform
    from contents
    left join platforms on contents.platform = platforms.platform_id
    where coalesce(platforms.publish_time_known, true)

),

final as (

    select
        {{ quarter_text('published.quarter_start') }} as quarter_label,
        published.quarter_start,
        published.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        current_best.slot as best_slot,
        current_best.avg_views as best_slot_avg_views,
        previous_best.slot as best_slot_previous,
        previous_best.avg_views as best_slot_avg_views_previous,
        case
            when current_best.slot is not null and previous_best.slot is not null
                then current_best.slot != previous_best.slot
        end as best_slot_moved
    from published
    left join platforms on published.platform = platforms.platform_id
    {{ quarter_over_quarter_joins(
        'published', 'best', ['platform'], current='current_best', previous='previous_best'
    ) }}

)

select * from final
