{#- Staging of a 直播 live-session export (抖音 罗盘 / creator centre, 视频号 直播数据): the same
    columns on both platforms (ingest/platforms/live.py). A session is keyed by the room id the
    export states, else by its account and start time (`session_key`); its length is the stated
    duration, else the stated minutes, else the span from start to end. -#}
{% macro stage_live_sessions(source_name, platform) -%}

with

source as (

    select * from {{ source(source_name, 'live_sessions') }}

),

renamed as (

    select
        -- ids
        '{{ platform }}' as platform,
        _account_id as account_id,
        coalesce(session_id, 'start ' || {{ timestamp_text('started_at') }}) as session_id,
        session_id is not null as session_id_stated,

        -- dimensions
        title,

        -- metrics
        coalesce(
            duration_seconds,
            duration_minutes * 60,
            {{ seconds_between('started_at', 'ended_at') }}
        ) as duration_seconds,
        viewers,
        views,
        peak_concurrent,
        avg_concurrent,
        avg_watch_seconds,
        new_followers,
        comments,
        likes,
        product_clicks,
        orders,
        buyers,
        gmv,
        gpm as gpm_stated,
        spend,

        -- timestamps
        started_at,
        ended_at,
        {{ shanghai_date('started_at') }} as started_date,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed

{%- endmacro %}

{#- A live figure of a weekly row: NULL where the platform has no live export (`has_live` false),
    0 in a week without a session (`sessions` NULL: no session joined), else `value` (the
    sessions' sum, NULL when none of them states it). -#}
{% macro live_week_total(value, has_live='has_live', sessions='live_sessions') -%}
    case
        when not {{ has_live }} then null
        when {{ sessions }} is null then 0
        else {{ value }}
    end
{%- endmacro %}
