{#- The sentiment_overrides template: manual sentiment labels of mentions and comments, which
    always win over the tool's label and the lexicon (int_sentiment_items). item_type and
    sentiment accept the Chinese words; a label outside positive / neutral / negative is NULL. -#}

with

source as (

    select * from {{ source('brand', 'sentiment_overrides') }}

),

renamed as (

    select
        -- ids
        case lower(trim(item_type))
            when 'comment' then 'comment'
            when 'comments' then 'comment'
            when '评论' then 'comment'
            when 'mention' then 'mention'
            when 'mentions' then 'mention'
            when '提及' then 'mention'
        end as item_type,
        {{ platform_id('platform') }} as platform,
        trim(item_id) as item_id,

        -- dimensions
        {{ sentiment_label('sentiment') }} as sentiment,
        {{ clean_text('reason') }} as reason,
        {{ clean_text('reviewed_by') }} as reviewed_by,

        -- timestamps
        reviewed_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
