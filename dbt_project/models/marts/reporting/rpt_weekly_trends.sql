{#- 《数据复盘报告》近 8 周趋势 and 异常预警: one row per ISO week, platform, account (account_id
    'all' for the platform's total) and metric: views (mart_engagement_weekly, contents published
    in the week) and net_follower_gain (mart_growth_weekly, the content platforms), with the
    values of the 4 weeks before, their baseline and rule A1 (reports/rules.py): the mean of the
    known values of those weeks and σ their population standard deviation; the week is an
    anomaly when at least var anomaly_min_baseline_weeks of them are known, the baseline is not
    0 and the drop (baseline − value) is at least var anomaly_min_drop_share of the baseline's
    size and at least var anomaly_sigmas σ. A platform's anomaly is reported unless one of its
    accounts has the same anomaly and the platform had at most one account with contents in the
    8 weeks up to the week (then the account tells it). -#}

with

engagement as (

    select * from {{ ref('mart_engagement_weekly') }}
    -- weeks with contents published (a week of live sessions only is no content week)
    where contents_published > 0

),

growth as (

    select * from {{ ref('mart_growth_weekly') }}
    where platform <> 'wecom'

),

platforms as (

    select * from {{ ref('platforms') }}

),

account_series as (

    select
        week_start,
        platform,
        account_id,
        'views' as metric,
        cast(views as double precision) as value,
        contents_published
    from engagement
    union all
    select
        week_start,
        platform,
        account_id,
        'net_follower_gain' as metric,
        cast(net_follower_gain as double precision) as value,
        cast(null as bigint) as contents_published
    from growth

),

platform_series as (

    select
        week_start,
        platform,
        'all' as account_id,
        metric,
        sum(value) as value,
        sum(contents_published) as contents_published
    from account_series
    group by week_start, platform, metric

),

series as (

    select * from account_series
    union all
    select * from platform_series

),

baselines as (

    select
        this_week.week_start,
        this_week.platform,
        this_week.account_id,
        this_week.metric,
        count(history.value) as baseline_weeks,
        avg(history.value) as baseline,
        stddev_pop(history.value) as sigma,
        {%- for weeks_before in [4, 3, 2, 1] %}
            max(
                case
                    when
                        history.week_start
                        = {{ add_days('this_week.week_start', -7 * weeks_before) }}
                        then history.value
                end
            ) as value_{{ weeks_before }}w_before,
        {%- endfor %}
        sum(coalesce(history.contents_published, 0)) as contents_published_before
    from series as this_week
    left join series as history
        on
            this_week.platform = history.platform
            and this_week.account_id = history.account_id
            and this_week.metric = history.metric
            and history.week_start >= {{ add_days('this_week.week_start', -28) }}
            and this_week.week_start > history.week_start
    group by this_week.week_start, this_week.platform, this_week.account_id, this_week.metric

),

series_weeks as (

    select distinct
        week_start,
        platform
    from series

),

-- the accounts of a platform with engagement rows in the 8 weeks up to each week
engagement_accounts as (

    select
        weeks.week_start,
        weeks.platform,
        count(distinct engagement.account_id) as account_count
    from series_weeks as weeks
    left join engagement
        on
            weeks.platform = engagement.platform
            and engagement.week_start >= {{ add_days('weeks.week_start', -49) }}
            and weeks.week_start >= engagement.week_start
    group by weeks.week_start, weeks.platform

),

flagged as (

    select
        series.week_start,
        series.platform,
        series.account_id,
        series.metric,
        series.value,
        baselines.baseline,
        baselines.sigma,
        baselines.baseline_weeks,
        (baselines.baseline - series.value) / nullif(abs(baselines.baseline), 0) as drop_share,
        baselines.value_4w_before,
        baselines.value_3w_before,
        baselines.value_2w_before,
        baselines.value_1w_before,
        cast(coalesce(series.contents_published, 0) as bigint) as contents_published,
        baselines.contents_published_before / 4.0 as contents_published_baseline,
        coalesce(
            series.value is not null
            and baselines.baseline_weeks >= {{ var('anomaly_min_baseline_weeks') }}
            and baselines.baseline <> 0
            and baselines.baseline - series.value
            >= {{ var('anomaly_min_drop_share') }} * abs(baselines.baseline)
            and baselines.baseline - series.value
            >= {{ var('anomaly_sigmas') }} * baselines.sigma,
            false
        ) as is_anomaly
    from series
    inner join baselines
        on
            series.week_start = baselines.week_start
            and series.platform = baselines.platform
            and series.account_id = baselines.account_id
            and series.metric = baselines.metric

),

account_anomalies as (

    select distinct
        week_start,
        platform,
        metric
    from flagged
    where is_anomaly and account_id <> 'all'

),

final as (

    select
        {{ iso_week('flagged.week_start') }} as week_label,
        flagged.week_start,
        flagged.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        flagged.account_id,
        flagged.metric,
        flagged.value,
        flagged.value_4w_before,
        flagged.value_3w_before,
        flagged.value_2w_before,
        flagged.value_1w_before,
        cast(flagged.baseline_weeks as bigint) as baseline_weeks,
        cast(flagged.baseline as double precision) as baseline,
        cast(flagged.sigma as double precision) as sigma,
        cast(flagged.drop_share as double precision) as drop_share,
        flagged.contents_published,
        cast(flagged.contents_published_baseline as double precision)
            as contents_published_baseline,
        flagged.is_anomaly,
        (
            flagged.is_anomaly
            and (
                flagged.account_id <> 'all'
                or account_anomalies.platform is null
                or coalesce(engagement_accounts.account_count, 0) > 1
            )
        ) as is_reported
    from flagged
    left join account_anomalies
        on
            flagged.week_start = account_anomalies.week_start
            and flagged.platform = account_anomalies.platform
            and flagged.metric = account_anomalies.metric
    left join engagement_accounts
        on
            flagged.week_start = engagement_accounts.week_start
            and flagged.platform = engagement_accounts.platform
    left join platforms on flagged.platform = platforms.platform_id

)

select * from final
