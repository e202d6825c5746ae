{#- 《用户需求周报》情感与声量: per ISO week (Shanghai dates) and platform, mart_sentiment_daily
    summed over the week's days; classified = positive + neutral + negative of those sums,
    positive_rate and negative_share are shares of it (NULL when nothing is classified), and
    the response rate is negatives answered within the hour / negatives. -#}

with

daily as (

    select
        *,
        {{ iso_week('date') }} as week_label,
        {{ week_start('date') }} as week_start
    from {{ ref('mart_sentiment_daily') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

sums as (

    select
        week_label,
        week_start,
        platform,
        cast(sum(mentions) as bigint) as mentions,
        cast(sum(monitored_mentions) as bigint) as monitored_mentions,
        cast(sum(comments) as bigint) as comments,
        cast(sum(positive) as bigint) as positive,
        cast(sum(neutral) as bigint) as neutral,
        cast(sum(negative) as bigint) as negative,
        cast(sum(unclassified) as bigint) as unclassified,
        cast(sum(negatives_total) as bigint) as negatives_total,
        cast(sum(negatives_responded_1h) as bigint) as negatives_responded_1h
    from daily
    group by week_label, week_start, platform

),

final as (

    select
        sums.week_label,
        sums.week_start,
        sums.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        sums.mentions,
        sums.monitored_mentions,
        sums.comments,
        sums.positive,
        sums.neutral,
        sums.negative,
        sums.unclassified,
        sums.positive + sums.neutral + sums.negative as classified,
        {{ safe_ratio('sums.positive', 'sums.positive + sums.neutral + sums.negative') }}
            as positive_rate,
        {{ safe_ratio('sums.negative', 'sums.positive + sums.neutral + sums.negative') }}
            as negative_share,
        sums.negatives_total,
        sums.negatives_responded_1h,
        {{ safe_ratio('sums.negatives_responded_1h', 'sums.negatives_total') }}
            as negative_response_sla_rate
    from sums
    left join platforms on sums.platform = platforms.platform_id

)

select * from final
