{#- Followers per platform, account and day: the total, new and lost followers where the export
    gives them, and the net gain (new − lost, else the day-over-day difference of the total). -#}

with

followers as (

    select * from {{ ref('int_followers_daily') }}

),

final as (

    select
        {{ dbt.hash("platform || '|' || account_id") }} as account_key,
        platform,
        account_id,
        follower_date as date,
        {{ iso_week('follower_date') }} as week,
        followers_total,
        new_followers,
        lost_followers,
        net_follower_gain,
        gain_method,
        source_report
    from followers

)

select * from final
