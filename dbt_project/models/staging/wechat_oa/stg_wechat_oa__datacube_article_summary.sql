{#- 公众号 datacube getarticlesummary: per article and day, that day's reads, shares and favourites.
    -#}

with

source as (

    select * from {{ source('wechat_oa', 'datacube_article_summary') }}

),

renamed as (

    select
        -- ids
        'wechat_oa' as platform,
        _account_id as account_id,
        msgid,

        -- dimensions
        title,
        ref_date as stat_date,
        coalesce(is_delay, false) as is_delay,

        -- metrics
        int_page_read_user as readers,
        int_page_read_count as views,
        ori_page_read_user as original_page_readers,
        ori_page_read_count as original_page_views,
        share_user as share_users,
        share_count as shares,
        add_to_fav_user as collect_users,
        add_to_fav_count as collects,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
