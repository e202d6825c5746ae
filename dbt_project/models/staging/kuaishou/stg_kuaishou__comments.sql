{#- 快手 comments collected with MediaCrawler; personal data arrives hashed. A parent of '' or '0'
    means a top-level comment. -#}

with

source as (

    select * from {{ source('kuaishou', 'comments') }}

),

renamed as (

    select
        -- ids
        'kuaishou' as platform,
        _account_id as account_id,
        comment_id,
        content_id as linked_content_id,
        case
            when parent_comment_id in ('', '0') then null
            else parent_comment_id
        end as parent_comment_id,
        user_id as user_hash,
        nickname as nickname_hash,
        creator_hash,

        -- dimensions
        content as comment_text,
        pictures,
        ip_location as ip_location_hash,

        -- metrics
        like_count,
        sub_comment_count,

        -- timestamps
        created_at,
        record_added_at,
        record_modified_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
