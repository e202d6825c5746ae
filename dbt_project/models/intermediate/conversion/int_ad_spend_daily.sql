{#- Promotion spend in CNY per platform, tool, plan and day: 巨量千川 (整体消耗 per product and day,
    the rows of a day's file summed over plans; a re-export of a day replaces it whole) and the
    ad_spend template (DOU+, 薯条, 磁力金牛, 微信广告 …; per tool, plan, content and day the
    snapshot ingested last wins). 千川 counts for the platform douyin. reported_gmv is the sales the
    tool attributes to itself, kept apart from the shop's GMV. -#}

with

qianchuan as (

    select
        *,
        dense_rank() over (
            partition by account_id, stat_date
            order by ingested_at desc, file_sha256 desc
        ) as file_recency
    from {{ ref('stg_qianchuan__product_daily') }}

),

qianchuan_daily as (

    select
        platform,
        data_source,
        '巨量千川' as tool,
        account_id,
        product_id as plan_key,
        cast(null as text) as linked_content_id,
        stat_date as spend_date,
        sum(spend) as spend,
        cast(sum(impressions) as bigint) as impressions,
        cast(sum(clicks) as bigint) as clicks,
        cast(sum(reported_orders) as bigint) as conversions,
        sum(reported_gmv) as reported_gmv
    from qianchuan
    where file_recency = 1
    group by platform, data_source, account_id, product_id, stat_date

),

templated as (

    select
        *,
        row_number() over (
            partition by
                spend_date,
                tool,
                platform,
                coalesce(plan_id, plan_name, ''),
                coalesce(linked_content_id, '')
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__ad_spend') }}

),

template_daily as (

    select
        platform,
        data_source,
        tool,
        'brand' as account_id,
        coalesce(plan_id, plan_name, '') as plan_key,
        linked_content_id,
        spend_date,
        spend,
        impressions,
        clicks,
        conversions,
        reported_gmv
    from templated
    where recency = 1

),

unioned as (

    select * from qianchuan_daily
    union all
    select * from template_daily

),

keyed as (

    select
        *,
        data_source
        || '|' || account_id
        || '|' || tool
        || '|' || platform
        || '|' || plan_key
        || '|' || coalesce(linked_content_id, '')
        || '|' || cast(spend_date as text) as spend_key_text
    from unioned

),

final as (

    select
        {{ dbt.hash('spend_key_text') }} as spend_key,
        platform,
        data_source,
        tool,
        account_id,
        plan_key,
        linked_content_id,
        spend_date,
        spend,
        impressions,
        clicks,
        conversions,
        reported_gmv
    from keyed

)

select * from final
