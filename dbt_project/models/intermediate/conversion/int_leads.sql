{#- Leads, one row per lead id (the snapshot ingested last wins). A lead counts as a form
    submission (表单提交) or a WeCom add (企微添加); other channels are kept as `other`. -#}

with

leads as (

    select
        *,
        row_number() over (
            partition by lead_id
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__leads') }}

),

final as (

    select
        lead_id,
        platform,
        lead_type,
        channel,
        linked_content_id,
        campaign_id,
        contact_hash,
        created_at,
        created_date
    from leads
    where recency = 1

)

select * from final
