{#- The mentions template: one brand mention from monitoring (新榜, 蝉妈妈 or by hand). -#}

with

source as (

    select * from {{ source('brand', 'mentions') }}

),

renamed as (

    select
        -- ids
        mention_id,
        {{ platform_id('platform') }} as platform,
        author as author_hash,

        -- dimensions
        text as mention_text,
        url,
        matched_keyword,
        {{ sentiment_label('sentiment') }} as sentiment,
        source_tool,

        -- metrics
        interactions,

        -- timestamps
        mentioned_at,
        {{ shanghai_date('mentioned_at') }} as mentioned_date,
        first_response_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
