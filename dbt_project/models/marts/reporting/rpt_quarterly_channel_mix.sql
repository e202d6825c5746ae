{#- 《新媒体趋势洞察报告》渠道结构: each channel's share of a quarter's total against its share the
    quarter before. Metric views (播放/阅读) and ad_spend (投放消耗) by platform, for the platforms
    of rpt_quarterly_platform_comparison with a value in either quarter; metric gmv by channel:
    short_video, live, product_card (rows where either quarter is not 0) and unlabelled = GMV −
    the three (rounded to cents; shown only when some channel is labelled). share = value /
    the quarter's total over all platforms (NULL when that is 0); share_change = share −
    share_previous. -#}

with

platform_rows as (

    select * from {{ ref('rpt_quarterly_platform_comparison') }}

),

metrics as (

    select * from {{ ref('int_report_platform_quarters') }}

),

totals as (

    select
        quarter_start,
        coalesce(sum(views), 0) as views,
        coalesce(sum(ad_spend), 0) as ad_spend,
        coalesce(sum(gmv), 0) as gmv,
        coalesce(sum(gmv_short_video), 0) as gmv_short_video,
        coalesce(sum(gmv_live), 0) as gmv_live,
        coalesce(sum(gmv_product_card), 0) as gmv_product_card
    from metrics
    group by quarter_start

),

quarter_totals as (

    select
        quarter_start,
        views,
        ad_spend,
        gmv,
        gmv_short_video,
        gmv_live,
        gmv_product_card,
        {{ round_to('gmv - (gmv_short_video + gmv_live + gmv_product_card)', 2) }} as gmv_unlabelled
    from totals

),

quarters as (

    select quarter_start from platform_rows
    union
    {{ quarter_keys('quarter_totals') }}

),

compared_totals as (

    select
        quarters.quarter_start,
        coalesce(current_quarter.views, 0) as views,
        coalesce(previous_quarter.views, 0) as views_previous,
        coalesce(current_quarter.ad_spend, 0) as ad_spend,
        coalesce(previous_quarter.ad_spend, 0) as ad_spend_previous,
        coalesce(current_quarter.gmv, 0) as gmv,
        coalesce(previous_quarter.gmv, 0) as gmv_previous,
        coalesce(current_quarter.gmv_short_video, 0) as gmv_short_video,
        coalesce(previous_quarter.gmv_short_video, 0) as gmv_short_video_previous,
        coalesce(current_quarter.gmv_live, 0) as gmv_live,
        coalesce(previous_quarter.gmv_live, 0) as gmv_live_previous,
        coalesce(current_quarter.gmv_product_card, 0) as gmv_product_card,
        coalesce(previous_quarter.gmv_product_card, 0) as gmv_product_card_previous,
        coalesce(current_quarter.gmv_unlabelled, 0) as gmv_unlabelled,
        coalesce(previous_quarter.gmv_unlabelled, 0) as gmv_unlabelled_previous
    from quarters
    {{ quarter_over_quarter_joins('quarters', 'quarter_totals') }}

),

platform_values as (

    select
        platform_rows.quarter_start,
        'views' as metric,
        1 as metric_order,
        platform_rows.platform as channel,
        platform_rows.display_order as channel_order,
        cast(platform_rows.views as double precision) as channel_value,
        cast(platform_rows.views_previous as double precision) as channel_value_previous,
        cast(compared_totals.views as double precision) as total,
        cast(compared_totals.views_previous as double precision) as total_previous
    from platform_rows
    inner join compared_totals on platform_rows.quarter_start = compared_totals.quarter_start
    where platform_rows.views is not null or platform_rows.views_previous is not null

    union all

    select
        platform_rows.quarter_start,
        'ad_spend' as metric,
        2 as metric_order,
        platform_rows.platform as channel,
        platform_rows.display_order as channel_order,
        platform_rows.ad_spend as channel_value,
        platform_rows.ad_spend_previous as channel_value_previous,
        compared_totals.ad_spend as total,
        compared_totals.ad_spend_previous as total_previous
    from platform_rows
    inner join compared_totals on platform_rows.quarter_start = compared_totals.quarter_start
    where platform_rows.ad_spend is not null or platform_rows.ad_spend_previous is not null

),

gmv_channels as (

    select
        quarter_start,
        gmv,
        gmv_previous,
        gmv_short_video,
        gmv_short_video_previous,
        gmv_live,
        gmv_live_previous,
        gmv_product_card,
        gmv_product_card_previous,
        gmv_unlabelled,
        gmv_unlabelled_previous,
        (
            gmv_short_video != 0 or gmv_short_video_previous != 0
            or gmv_live != 0 or gmv_live_previous != 0
            or gmv_product_card != 0 or gmv_product_card_previous != 0
        ) as is_labelled
    from compared_totals

),

gmv_values as (

    select
        quarter_start,
        'gmv' as metric,
        3 as metric_order,
        'short_video' as channel,
        1 as channel_order,
        gmv_short_video as channel_value,
        gmv_short_video_previous as channel_value_previous,
        gmv as total,
        gmv_previous as total_previous
    from gmv_channels
    union all
    select
        quarter_start,
        'gmv' as metric,
        3 as metric_order,
        'live' as channel,
        2 as channel_order,
        gmv_live as channel_value,
        gmv_live_previous as channel_value_previous,
        gmv as total,
        gmv_previous as total_previous
    from gmv_channels
    union all
    select
        quarter_start,
        'gmv' as metric,
        3 as metric_order,
        'product_card' as channel,
        3 as channel_order,
        gmv_product_card as channel_value,
        gmv_product_card_previous as channel_value_previous,
        gmv as total,
        gmv_previous as total_previous
    from gmv_channels
    union all
    select
        quarter_start,
        'gmv' as metric,
        3 as metric_order,
        'unlabelled' as channel,
        4 as channel_order,
        gmv_unlabelled as channel_value,
        gmv_unlabelled_previous as channel_value_previous,
        gmv as total,
        gmv_previous as total_previous
    from gmv_channels
    where is_labelled

),

shares as (

    select
        quarter_start,
        metric,
        metric_order,
        channel,
        channel_order,
        channel_value,
        channel_value_previous,
        {{ safe_ratio('channel_value', 'total') }} as share,
        {{ safe_ratio('channel_value_previous', 'total_previous') }} as share_previous
    from platform_values
    union all
    select
        quarter_start,
        metric,
        metric_order,
        channel,
        channel_order,
        channel_value,
        channel_value_previous,
        {{ safe_ratio('channel_value', 'total') }} as share,
        {{ safe_ratio('channel_value_previous', 'total_previous') }} as share_previous
    from gmv_values
    where channel_value != 0 or channel_value_previous != 0

),

final as (

    select
        {{ quarter_text('quarter_start') }} as quarter_label,
        quarter_start,
        metric,
        cast(metric_order as bigint) as metric_order,
        channel,
        cast(channel_order as bigint) as channel_order,
        channel_value,
        channel_value_previous,
        share,
        share_previous,
        share - share_previous as share_change
    from shares

)

select * from final
