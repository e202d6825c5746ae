{#- 《数据复盘报告》热门与爆款内容, 高价值内容: the contents published in each ISO week (Shanghai
    date), at their latest snapshot; gmv_share and leads_share are the content's part of the
    attributed GMV (leads) of all contents published in the week (NULL when that sum is unknown
    or 0). -#}

with

contents as (

    select * from {{ ref('mart_content_performance') }}
    where published_date is not null

),

weekly as (

    select
        *,
        {{ iso_week('published_date') }} as week_label,
        {{ week_start('published_date') }} as published_week_start
    from contents

),

final as (

    select
        week_label,
        published_week_start as week_start,
        content_key,
        platform,
        account_id,
        title,
        published_date,
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        interactions,
        interaction_rate,
        is_viral,
        attributed_gmv,
        attributed_leads,
        {{ safe_ratio(
            'attributed_gmv',
            'sum(attributed_gmv) over (partition by published_week_start)'
        ) }} as gmv_share,
        {{ safe_ratio(
            'attributed_leads',
            'sum(attributed_leads) over (partition by published_week_start)'
        ) }} as leads_share
    from weekly

)

select * from final
