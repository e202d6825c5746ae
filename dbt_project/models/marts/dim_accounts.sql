{#- The brand's accounts: every platform x account that appears in an export. -#}

with

contents as (

    select * from {{ ref('int_content_snapshots_unioned') }}

),

accounts as (

    select
        platform,
        account_id,
        min(snapshot_date) as first_snapshot_date,
        max(snapshot_date) as last_snapshot_date
    from contents
    group by platform, account_id

),

final as (

    select
        {{ dbt.hash("platform || '|' || account_id") }} as account_key,
        platform,
        account_id,
        account_id as account_name,
        first_snapshot_date,
        last_snapshot_date
    from accounts

)

select * from final
