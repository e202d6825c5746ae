{#- 《新媒体趋势洞察报告》发布时段: per quarter and time-of-day slot (seed posting_time_slots,
    Shanghai time), over the contents whose export states the publish time: the slot's share of
    those contents, avg_views (views / contents with known views) and interaction rate (ratio
    of sums over contents where both are known), against the quarter before. A row for every
    slot with contents in the quarter or the one before. -#}

with

contents as (

    select * from {{ ref('int_report_contents') }}
    where slot is not null

),

slot_sums as (

    select
        quarter_start,
        slot,
        min(slot_order) as slot_order,
        cast(count(*) as bigint) as contents,
        {{ safe_ratio('sum(views)', 'count(views)') }} as avg_views,
        {{ safe_ratio(
            'sum(case when views is not null then interactions end)',
            'sum(case when interactions is not null then views end)'
        ) }} as interaction_rate
    from contents
    group by quarter_start, slot

),

quarter_sums as (

    select
        quarter_start,
        sum(contents) as contents
    from slot_sums
    group by quarter_start

),

slot_shares as (

    select
        slot_sums.*,
        {{ safe_ratio('slot_sums.contents', 'quarter_sums.contents') }} as share
    from slot_sums
    inner join quarter_sums on slot_sums.quarter_start = quarter_sums.quarter_start

),

keys as (

    {{ quarter_keys('slot_shares', ['slot', 'slot_order']) }}

),

final as (

    select
        {{ quarter_text('keys.quarter_start') }} as quarter_label,
        keys.quarter_start,
        keys.slot,
        cast(keys.slot_order as bigint) as slot_order,
        coalesce(current_quarter.contents, 0) as contents,
        coalesce(previous_quarter.contents, 0) as contents_previous,
        current_quarter.share,
        previous_quarter.share as share_previous,
        current_quarter.avg_views,
        previous_quarter.avg_views as avg_views_previous,
        current_quarter.interaction_rate,
        previous_quarter.interaction_rate as interaction_rate_previous
    from keys
    {{ quarter_over_quarter_joins('keys', 'slot_shares', ['slot']) }}

)

select * from final
