{#- 《新媒体趋势洞察报告》新渠道: per quarter, the accounts whose first export snapshot falls in it
    (channel_kind account) and the platforms with contents published in the quarter and none in
    the quarter before, when the quarter before has contents at all (channel_kind platform,
    account_id NULL). -#}

with

accounts as (

    select * from {{ ref('dim_accounts') }}

),

metrics as (

    select * from {{ ref('int_report_platform_quarters') }}
    where has_contents

),

platforms as (

    select * from {{ ref('platforms') }}

),

new_accounts as (

    select
        {{ quarter_start('first_snapshot_date') }} as quarter_start,
        'account' as channel_kind,
        platform,
        account_id,
        account_name,
        first_snapshot_date
    from accounts
    where first_snapshot_date is not null

),

publishing_quarters as (

    select distinct quarter_start from metrics

),

new_platforms as (

    select
        current_quarter.quarter_start,
        'platform' as channel_kind,
        current_quarter.platform,
        cast(null as text) as account_id,
        cast(null as text) as account_name,
        cast(null as date) as first_snapshot_date
    from metrics as current_quarter
    inner join publishing_quarters
        on
            {{ add_quarters('current_quarter.quarter_start', -1) }}
            = publishing_quarters.quarter_start
    left join metrics as previous_quarter
        on
            publishing_quarters.quarter_start = previous_quarter.quarter_start
            and current_quarter.platform = previous_quarter.platform
    where previous_quarter.platform is null

),

channels as (

    select * from new_accounts
    union all
    select * from new_platforms

),

final as (

    select
        {{ quarter_text('channels.quarter_start') }} as quarter_label,
        channels.quarter_start,
        channels.channel_kind,
        channels.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        channels.account_id,
        channels.account_name,
        channels.first_snapshot_date
    from channels
    left join platforms on channels.platform = platforms.platform_id

)

select * from final
