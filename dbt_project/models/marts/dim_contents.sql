{#- One row per content, described as of its latest snapshot. -#}

with

latest as (

    select * from {{ ref('int_contents_latest') }}

),

final as (

    select
        content_key,
        platform,
        account_id,
        content_id,
        title,
        content_type,
        published_at,
        published_date,
        latest_snapshot_date
    from latest

)

select * from final
