{#- Campaigns and KOL collaborations (the snapshot ingested last wins per campaign id), one row per
    campaign and linked content id (campaigns without contents keep one row with a NULL id). -#}

with

campaigns as (

    select
        *,
        row_number() over (
            partition by campaign_id
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__campaigns') }}

),

latest as (

    select * from campaigns
    where recency = 1

),

split as (

    select
        campaign_id,
        trim({{ unnest_split('linked_content_ids', '|') }}) as linked_content_id
    from latest
    where linked_content_ids is not null

),

final as (

    select
        latest.campaign_id,
        latest.campaign_name,
        latest.campaign_type,
        latest.partner,
        latest.start_date,
        latest.end_date,
        latest.budget,
        latest.goal_metric,
        latest.goal_value,
        latest.partner_exposure,
        nullif(split.linked_content_id, '') as linked_content_id
    from latest
    left join split on latest.campaign_id = split.campaign_id

)

select * from final
