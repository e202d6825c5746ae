{#- Campaigns and KOL collaborations with their results: the partner's reported exposure, the
    budget, and what the linked contents did (views, interactions and attributed GMV of the
    contents that could be found, each at its latest snapshot), the leads that name the campaign,
    and the goal's attainment (goal_value of goal_metric views, interactions, gmv or leads). -#}

with

campaign_contents as (

    select * from {{ ref('int_campaign_contents') }}

),

links as (

    select * from {{ ref('int_content_links') }}

),

performance as (

    select * from {{ ref('mart_content_performance') }}

),

leads as (

    select
        campaign_id,
        count(*) as leads
    from {{ ref('int_leads') }}
    where campaign_id is not null and lead_type in ('form', 'wecom_add')
    group by campaign_id

),

content_results as (

    select
        campaign_contents.campaign_id,
        count(campaign_contents.linked_content_id) as contents_linked,
        count(performance.content_key) as contents_found,
        sum(performance.views) as views,
        sum(performance.interactions) as interactions,
        sum(performance.attributed_gmv) as attributed_gmv
    from campaign_contents
    left join links on campaign_contents.linked_content_id = links.linked_id
    left join performance on links.content_key = performance.content_key
    group by campaign_contents.campaign_id

),

campaigns as (

    select distinct
        campaign_id,
        campaign_name,
        campaign_type,
        partner,
        start_date,
        end_date,
        budget,
        goal_metric,
        goal_value,
        partner_exposure
    from campaign_contents

),

joined as (

    select
        campaigns.*,
        content_results.contents_linked,
        content_results.contents_found,
        content_results.views,
        content_results.interactions,
        content_results.attributed_gmv,
        coalesce(leads.leads, 0) as leads
    from campaigns
    left join content_results on campaigns.campaign_id = content_results.campaign_id
    left join leads on campaigns.campaign_id = leads.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        partner,
        start_date,
        end_date,
        budget,
        partner_exposure,
        cast(contents_linked as bigint) as contents_linked,
        cast(contents_found as bigint) as contents_found,
        cast(views as bigint) as views,
        cast(interactions as bigint) as interactions,
        attributed_gmv,
        cast(leads as bigint) as leads,
        goal_metric,
        goal_value,
        case goal_metric
            when 'views' then cast(views as double precision)
            when 'interactions' then cast(interactions as double precision)
            when 'gmv' then attributed_gmv
            when 'leads' then cast(leads as double precision)
        end as goal_actual,
        case goal_metric
            when 'views' then {{ safe_ratio('views', 'goal_value') }}
            when 'interactions' then {{ safe_ratio('interactions', 'goal_value') }}
            when 'gmv' then {{ safe_ratio('attributed_gmv', 'goal_value') }}
            when 'leads' then {{ safe_ratio('leads', 'goal_value') }}
        end as goal_attainment
    from joined

)

select * from final
