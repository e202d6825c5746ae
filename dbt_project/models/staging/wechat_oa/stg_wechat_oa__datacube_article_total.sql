{#- 公众号 datacube getarticletotaldetail: per article and stat day, values cumulative up to that
    day. -#}

with

source as (

    select * from {{ source('wechat_oa', 'datacube_article_total') }}

),

renamed as (

    select
        -- ids
        'wechat_oa' as platform,
        _account_id as account_id,
        msgid,

        -- dimensions
        title,
        publish_type,
        content_url,
        ref_date as published_date,
        stat_date,
        coalesce(is_delay, false) as is_delay,

        -- metrics
        read_user as readers,
        share_user as share_users,
        zaikan_user as recommends,
        like_user as likes,
        comment_count as comments,
        collection_user as collects,
        praise_money,
        read_subscribe_user as readers_followed,
        read_delivery_rate as delivery_read_rate,
        read_finish_rate as completion_rate,
        read_avg_activetime as avg_read_seconds,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
