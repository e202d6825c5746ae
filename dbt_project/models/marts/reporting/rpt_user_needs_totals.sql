{#- 《用户需求周报》key numbers: per ISO week, the mentions of all topics against the week before
    (mentions_previous NULL when no topic was mentioned then), and over all platforms the
    classified comments and mentions, the negative ones and their share. -#}

with

topics as (

    select * from {{ ref('rpt_user_needs_topics') }}

),

sentiment as (

    select * from {{ ref('rpt_weekly_sentiment') }}

),

topic_sums as (

    select
        week_label,
        week_start,
        cast(sum(mentions) as bigint) as mentions,
        cast(sum(mentions_previous) as bigint) as mentions_previous
    from topics
    group by week_label, week_start

),

sentiment_sums as (

    select
        week_label,
        week_start,
        cast(coalesce(sum(classified), 0) as bigint) as classified,
        cast(coalesce(sum(negative), 0) as bigint) as negative
    from sentiment
    group by week_label, week_start

),

weeks as (

    select
        week_label,
        week_start
    from topic_sums
    union
    select
        week_label,
        week_start
    from sentiment_sums

),

final as (

    select
        weeks.week_label,
        weeks.week_start,
        coalesce(topic_sums.mentions, 0) as mentions,
        topic_sums.mentions_previous,
        {{ relative_change('coalesce(topic_sums.mentions, 0)', 'topic_sums.mentions_previous') }}
            as mentions_wow,
        sentiment_sums.week_label is not null as has_sentiment,
        coalesce(sentiment_sums.classified, 0) as classified,
        coalesce(sentiment_sums.negative, 0) as negative,
        {{ safe_ratio('sentiment_sums.negative', 'sentiment_sums.classified') }} as negative_share
    from weeks
    left join topic_sums on weeks.week_label = topic_sums.week_label
    left join sentiment_sums on weeks.week_label = sentiment_sums.week_label

)

select * from final
