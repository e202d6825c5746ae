{#- The calendar quarters the quarterly report can be asked for: every quarter from the first one
    with contents, follower days, conversion weeks, campaigns or new accounts to the quarter after
    the last one (whose report compares it with the last quarter of data). -#}

with

platform_quarters as (

    select quarter_start from {{ ref('int_report_platform_quarters') }}

),

campaigns as (

    select * from {{ ref('mart_campaign_results') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

dated as (

    select quarter_start from platform_quarters
    union all
    select {{ quarter_start('start_date') }} from campaigns
    union all
    select {{ quarter_start('coalesce(end_date, start_date)') }} from campaigns
    union all
    select {{ quarter_start('first_snapshot_date') }} from accounts

),

bounds as (

    select
        min(quarter_start) as first_quarter,
        max(quarter_start) as last_quarter
    from dated

),

digits as (

    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit

),

steps as (

    -- up to 100 quarters (25 years)
    select tens.digit * 10 + ones.digit as step
    from digits as tens
    cross join digits as ones

),

spine as (

    select {{ add_quarters('bounds.first_quarter', 'steps.step') }} as quarter_start
    from bounds
    cross join steps
    where
        {{ add_quarters('bounds.first_quarter', 'steps.step') }}
        <= {{ add_quarters('bounds.last_quarter', 1) }}

),

final as (

    select
        {{ quarter_text('quarter_start') }} as quarter_label,
        quarter_start,
        {{ quarter_end('quarter_start') }} as quarter_end,
        {{ add_quarters('quarter_start', -1) }} as previous_quarter_start
    from spine

)

select * from final
