{#- 企业微信 联系客户统计 per employee and day. -#}

with

source as (

    select * from {{ source('wecom', 'behavior') }}

),

renamed as (

    select
        -- ids
        'wecom' as platform,
        _account_id as account_id,
        userid as employee_id,

        -- dimensions
        stat_date,

        -- metrics
        new_apply_cnt as new_applies,
        new_contact_cnt as new_contacts,
        chat_cnt as chats,
        message_cnt as messages,
        reply_percentage as reply_rate,
        avg_reply_time as avg_reply_minutes,
        negative_feedback_cnt as negative_feedbacks,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
