{#- 公众号 articles per snapshot (已通知内容, 7 days after sending); views are 总阅读次数. -#}

with

source as (

    select * from {{ source('wechat_oa', 'article_7day') }}

),

renamed as (

    select
        -- ids
        'wechat_oa' as platform,
        _account_id as account_id,
        coalesce(
            {{ wechat_msgid('content_url') }},
            {{ content_id_from_title('title', 'published_at') }}
        ) as content_id,
        {{ wechat_msgid('content_url') }} as msgid,

        -- dimensions
        title,
        'image_text' as content_type,
        content_url,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        views_upper,
        readers,
        coalesce(readers_is_capped, false) as readers_is_capped,
        shares,
        share_users,
        followers_gained,
        delivered,
        message_reads,
        delivery_read_rate,
        first_shares,
        share_reads,
        first_share_rate,
        reads_per_share,
        completion_rate,

        -- timestamps
        published_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
