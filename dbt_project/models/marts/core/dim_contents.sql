{#- One row per content, described as of its latest snapshot. -#}

with

latest as (

    select * from {{ ref('int_contents_latest') }}

),

links as (

    select * from {{ ref('int_content_links') }}

),

final as (

    select
        latest.content_key,
        {{ dbt.hash("latest.platform || '|' || latest.account_id") }} as account_key,
        latest.platform,
        latest.account_id,
        latest.content_id,
        coalesce(latest.linked_id, links.linked_id) as linked_id,
        latest.title,
        latest.content_type,
        latest.published_at,
        latest.published_date,
        latest.published_time_known,
        latest.first_snapshot_date,
        latest.latest_snapshot_date
    from latest
    left join links on latest.content_key = links.content_key

)

select * from final
