{#- 企业微信 客户群统计 per day. -#}

with

source as (

    select * from {{ source('wecom', 'groupchat_daily') }}

),

renamed as (

    select
        -- ids
        'wecom' as platform,
        _account_id as account_id,

        -- dimensions
        stat_date,

        -- metrics
        new_chat_cnt as new_chats,
        chat_total as chats_total,
        chat_has_msg as chats_with_messages,
        new_member_cnt as new_members,
        member_total as members_total,
        member_has_msg as members_with_messages,
        msg_total as messages,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
