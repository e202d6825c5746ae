{#- 《数据复盘报告》转化效果 and GMV 渠道构成: mart_conversion_roi_weekly of each week and platform
    beside the week before's GMV, leads and ROI; *_wow = this week / the week before − 1. -#}

with

conversion as (

    select * from {{ ref('mart_conversion_roi_weekly') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

final as (

    select
        this_week.week as week_label,
        this_week.week_start,
        this_week.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        this_week.gmv,
        previous_week.gmv as gmv_previous,
        {{ relative_change('this_week.gmv', 'previous_week.gmv') }} as gmv_wow,
        this_week.gmv_short_video,
        this_week.gmv_live,
        this_week.gmv_product_card,
        this_week.gmv_channel_unknown,
        this_week.paid_orders,
        this_week.buyers,
        this_week.leads,
        previous_week.leads as leads_previous,
        {{ relative_change('this_week.leads', 'previous_week.leads') }} as leads_wow,
        this_week.ad_spend,
        this_week.roi,
        previous_week.roi as roi_previous,
        this_week.cost_per_lead,
        this_week.viewer_to_payer_rate
    from conversion as this_week
    left join conversion as previous_week
        on
            previous_week.week_start = {{ add_days('this_week.week_start', -7) }}
            and this_week.platform = previous_week.platform
    left join platforms on this_week.platform = platforms.platform_id

)

select * from final
