{#- 新渠道试点: every pilot account's weeks against the established channels. A pilot is a content
    account whose first week (contents published or follower days) comes
    channel_pilot_after_weeks or more weeks after the first week of the data, during its first two
    calendar quarters (the quarter it started in and the next); pilot_kind is platform when no
    established account of its platform exists, else account. The established channels are the
    other content accounts (not pilots), pooled per week: per-account averages for reach, growth
    and GMV, ratios of sums for rates and costs.

    The verdict, as of each pilot week, compares the pilot's weeks so far with the established
    channels' same weeks on six metrics: views per week, interaction rate, net follower gain per
    week and GMV-to-spend ROI meet the bar at >= channel_pilot_bar (0.8) times the established
    value; cost per follower and cost per lead at <= channel_pilot_cost_bar (1.25) times it. A
    metric unknown on either side is not judged. Rules, in order:
      1. fewer than channel_pilot_min_weeks (4) weeks, or no metric judged: extend (延长试点);
      2. at least half of the judged metrics meet the bar: continue (继续投入);
      3. channel_pilot_stop_weeks (8) weeks or more and fewer than a quarter meet it: stop (停止);
      4. otherwise: extend. -#}

with

account_weeks as (

    select * from {{ ref('int_channel_account_weeks') }}

),

firsts as (

    select
        platform,
        account_id,
        min(week_start) as first_week_start
    from account_weeks
    group by platform, account_id

),

data_start as (

    select min(first_week_start) as data_week_start from firsts

),

pilot_accounts as (

    select
        firsts.platform,
        firsts.account_id,
        firsts.first_week_start,
        {{ add_quarters(quarter_start('firsts.first_week_start'), 2) }} as pilot_end
    from firsts
    cross join data_start
    where
        firsts.first_week_start
        >= data_start.data_week_start + 7 * {{ var('channel_pilot_after_weeks') }}

),

established_accounts as (

    select
        firsts.platform,
        firsts.account_id
    from firsts
    left join pilot_accounts
        on
            firsts.platform = pilot_accounts.platform
            and firsts.account_id = pilot_accounts.account_id
    where pilot_accounts.account_id is null

),

benchmark as (

    select
        account_weeks.week_start,
        count(*) as account_count,
        sum(account_weeks.views) as views,
        sum(account_weeks.rate_interactions) as rate_interactions,
        sum(account_weeks.rate_views) as rate_views,
        sum(account_weeks.net_follower_gain) as net_follower_gain,
        sum(account_weeks.ad_spend) as ad_spend,
        sum(account_weeks.leads) as leads,
        sum(account_weeks.gmv) as gmv
    from account_weeks
    inner join established_accounts
        on
            account_weeks.platform = established_accounts.platform
            and account_weeks.account_id = established_accounts.account_id
    group by account_weeks.week_start

),

pilot_weeks as (

    select
        pilot_accounts.platform,
        pilot_accounts.account_id,
        pilot_accounts.first_week_start,
        case
            when exists (
                select 1 from established_accounts
                where established_accounts.platform = pilot_accounts.platform
            ) then 'account'
            else 'platform'
        end as pilot_kind,
        account_weeks.week,
        account_weeks.week_start,
        cast((account_weeks.week_start - pilot_accounts.first_week_start) / 7 + 1 as bigint)
            as pilot_week,
        account_weeks.contents,
        account_weeks.views,
        account_weeks.rate_interactions,
        account_weeks.rate_views,
        account_weeks.net_follower_gain,
        account_weeks.ad_spend,
        account_weeks.leads,
        account_weeks.gmv
    from pilot_accounts
    inner join account_weeks
        on
            pilot_accounts.platform = account_weeks.platform
            and pilot_accounts.account_id = account_weeks.account_id
            and pilot_accounts.pilot_end > account_weeks.week_start

),

compared as (

    select
        pilot_weeks.*,
        benchmark.account_count as benchmark_accounts,
        benchmark.views as benchmark_views,
        benchmark.rate_interactions as benchmark_rate_interactions,
        benchmark.rate_views as benchmark_rate_views,
        benchmark.net_follower_gain as benchmark_net_follower_gain,
        benchmark.ad_spend as benchmark_ad_spend,
        benchmark.leads as benchmark_leads,
        benchmark.gmv as benchmark_gmv
    from pilot_weeks
    left join benchmark on pilot_weeks.week_start = benchmark.week_start

),

{%- set cumulative = [
    'views', 'rate_interactions', 'rate_views', 'net_follower_gain', 'ad_spend', 'leads', 'gmv',
    'benchmark_accounts', 'benchmark_views', 'benchmark_rate_interactions',
    'benchmark_rate_views', 'benchmark_net_follower_gain', 'benchmark_ad_spend',
    'benchmark_leads', 'benchmark_gmv',
] %}

to_date as (

    select
        compared.*,
        {%- for column in cumulative %}
            sum({{ column }}) over (
                partition by compared.platform, compared.account_id
                order by compared.week_start asc
                rows between unbounded preceding and current row
            ) as cum_{{ column }},
        {%- endfor %}
        count(*) over (
            partition by compared.platform, compared.account_id
            order by compared.week_start asc
            rows between unbounded preceding and current row
        ) as weeks_to_date
    from compared

),

indexed as (

    select
        *,
        ({{ safe_ratio('cum_views', 'weeks_to_date') }})
        / nullif({{ safe_ratio('cum_benchmark_views', 'cum_benchmark_accounts') }}, 0)
            as reach_index,
        ({{ safe_ratio('cum_rate_interactions', 'cum_rate_views') }})
        / nullif({{ safe_ratio('cum_benchmark_rate_interactions', 'cum_benchmark_rate_views') }}, 0)
            as engagement_index,
        case
            when cum_benchmark_net_follower_gain > 0
                then
                    ({{ safe_ratio('cum_net_follower_gain', 'weeks_to_date') }})
                    / (
                        {{ safe_ratio(
                            'cum_benchmark_net_follower_gain', 'cum_benchmark_accounts'
                        ) }}
                    )
        end as growth_index,
        case
            when
                cum_net_follower_gain > 0 and cum_benchmark_net_follower_gain > 0
                and cum_ad_spend > 0 and cum_benchmark_ad_spend > 0
                then
                    (cum_ad_spend / cum_net_follower_gain)
                    / (cum_benchmark_ad_spend / cum_benchmark_net_follower_gain)
        end as cost_per_follower_index,
        case
            when
                cum_leads > 0 and cum_benchmark_leads > 0
                and cum_ad_spend > 0 and cum_benchmark_ad_spend > 0
                then (cum_ad_spend / cum_leads) / (cum_benchmark_ad_spend / cum_benchmark_leads)
        end as cost_per_lead_index,
        case
            when cum_ad_spend > 0 and cum_benchmark_ad_spend > 0 and cum_benchmark_gmv > 0
                then (cum_gmv / cum_ad_spend) / (cum_benchmark_gmv / cum_benchmark_ad_spend)
        end as roi_index
    from to_date

),

judged as (

    select
        *,
        (case when reach_index is not null then 1 else 0 end)
        + (case when engagement_index is not null then 1 else 0 end)
        + (case when growth_index is not null then 1 else 0 end)
        + (case when cost_per_follower_index is not null then 1 else 0 end)
        + (case when cost_per_lead_index is not null then 1 else 0 end)
        + (case when roi_index is not null then 1 else 0 end) as metrics_judged,
        (case when reach_index >= {{ var('channel_pilot_bar') }} then 1 else 0 end)
        + (case when engagement_index >= {{ var('channel_pilot_bar') }} then 1 else 0 end)
        + (case when growth_index >= {{ var('channel_pilot_bar') }} then 1 else 0 end)
        + (
            case
                when cost_per_follower_index <= {{ var('channel_pilot_cost_bar') }} then 1 else 0
            end
        )
        + (case when cost_per_lead_index <= {{ var('channel_pilot_cost_bar') }} then 1 else 0 end)
        + (case when roi_index >= {{ var('channel_pilot_bar') }} then 1 else 0 end) as metrics_met
    from indexed

),

verdicts as (

    select
        *,
        case
            when pilot_week < {{ var('channel_pilot_min_weeks') }} or metrics_judged = 0
                then 'extend'
            when 2 * metrics_met >= metrics_judged then 'continue'
            when
                pilot_week >= {{ var('channel_pilot_stop_weeks') }}
                and 4 * metrics_met < metrics_judged then 'stop'
            else 'extend'
        end as verdict_code
    from judged

),

final as (

    select
        platform,
        account_id,
        pilot_kind,
        first_week_start as pilot_start_week_start,
        pilot_week,
        week,
        week_start,
        contents,
        views,
        cast({{ safe_ratio('rate_interactions', 'rate_views') }} as double precision)
            as interaction_rate,
        net_follower_gain,
        ad_spend,
        cast(
            case when net_follower_gain > 0 then ad_spend / net_follower_gain end
            as double precision
        ) as cost_per_follower,
        leads,
        cast(case when leads > 0 then ad_spend / leads end as double precision) as cost_per_lead,
        gmv,
        cast(case when ad_spend > 0 then gmv / ad_spend end as double precision) as roi,
        cast(benchmark_accounts as bigint) as benchmark_accounts,
        cast({{ safe_ratio('benchmark_views', 'benchmark_accounts') }} as double precision)
            as benchmark_views_per_account,
        cast(
            {{ safe_ratio('benchmark_rate_interactions', 'benchmark_rate_views') }}
            as double precision
        ) as benchmark_interaction_rate,
        cast(
            {{ safe_ratio('benchmark_net_follower_gain', 'benchmark_accounts') }}
            as double precision
        ) as benchmark_net_follower_gain_per_account,
        cast(
            case
                when benchmark_net_follower_gain > 0
                    then benchmark_ad_spend / benchmark_net_follower_gain
            end as double precision
        ) as benchmark_cost_per_follower,
        cast(
            case when benchmark_leads > 0 then benchmark_ad_spend / benchmark_leads end
            as double precision
        ) as benchmark_cost_per_lead,
        cast({{ safe_ratio('benchmark_gmv', 'benchmark_accounts') }} as double precision)
            as benchmark_gmv_per_account,
        cast(
            case when benchmark_ad_spend > 0 then benchmark_gmv / benchmark_ad_spend end
            as double precision
        ) as benchmark_roi,
        cast({{ safe_ratio('cum_views', 'weeks_to_date') }} as double precision)
            as views_per_week_to_date,
        cast({{ safe_ratio('cum_rate_interactions', 'cum_rate_views') }} as double precision)
            as interaction_rate_to_date,
        cast({{ safe_ratio('cum_net_follower_gain', 'weeks_to_date') }} as double precision)
            as net_follower_gain_per_week_to_date,
        cast(
            case when cum_net_follower_gain > 0 then cum_ad_spend / cum_net_follower_gain end
            as double precision
        ) as cost_per_follower_to_date,
        cast(case when cum_leads > 0 then cum_ad_spend / cum_leads end as double precision)
            as cost_per_lead_to_date,
        cast(case when cum_ad_spend > 0 then cum_gmv / cum_ad_spend end as double precision)
            as roi_to_date,
        cast({{ safe_ratio('cum_benchmark_views', 'cum_benchmark_accounts') }} as double precision)
            as benchmark_views_per_week_to_date,
        cast(
            {{ safe_ratio('cum_benchmark_rate_interactions', 'cum_benchmark_rate_views') }}
            as double precision
        ) as benchmark_interaction_rate_to_date,
        cast(
            {{ safe_ratio('cum_benchmark_net_follower_gain', 'cum_benchmark_accounts') }}
            as double precision
        ) as benchmark_net_follower_gain_per_week_to_date,
        cast(
            case
                when cum_benchmark_net_follower_gain > 0
                    then cum_benchmark_ad_spend / cum_benchmark_net_follower_gain
            end as double precision
        ) as benchmark_cost_per_follower_to_date,
        cast(
            case
                when cum_benchmark_leads > 0 then cum_benchmark_ad_spend / cum_benchmark_leads
            end as double precision
        ) as benchmark_cost_per_lead_to_date,
        cast(
            case
                when cum_benchmark_ad_spend > 0 then cum_benchmark_gmv / cum_benchmark_ad_spend
            end as double precision
        ) as benchmark_roi_to_date,
        cast(reach_index as double precision) as reach_index,
        cast(engagement_index as double precision) as engagement_index,
        cast(growth_index as double precision) as growth_index,
        cast(cost_per_follower_index as double precision) as cost_per_follower_index,
        cast(cost_per_lead_index as double precision) as cost_per_lead_index,
        cast(roi_index as double precision) as roi_index,
        cast(metrics_judged as bigint) as metrics_judged,
        cast(metrics_met as bigint) as metrics_met,
        verdict_code,
        case verdict_code
            when 'continue' then '继续投入'
            when 'stop' then '停止试点'
            else '延长试点'
        end as verdict
    from verdicts

)

select * from final
