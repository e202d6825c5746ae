{#- Sentiment per platform and Shanghai day over brand mentions and comments on the brand's
    contents (brand replies excluded). Rates are over classified items only: positive_rate =
    positive / classified, negative_share = negative / classified, breached when above 5 %. The
    response SLA counts negative items whose first brand response came within 1 hour. -#}

with

items as (

    select * from {{ ref('int_sentiment_items') }}

),

daily as (

    select
        platform,
        created_date,
        count(*) as items,
        sum(case when item_type = 'mention' then 1 else 0 end) as monitored_mentions,
        sum(case when item_type = 'comment' then 1 else 0 end) as comments,
        sum(case when sentiment = 'positive' then 1 else 0 end) as positive,
        sum(case when sentiment = 'neutral' then 1 else 0 end) as neutral,
        sum(case when sentiment = 'negative' then 1 else 0 end) as negative,
        sum(case when sentiment = 'unclassified' then 1 else 0 end) as unclassified,
        sum(
            case when sentiment = 'negative' and is_responded_1h then 1 else 0 end
        ) as negatives_responded_1h
    from items
    group by platform, created_date

),

final as (

    select
        platform,
        created_date as date,
        cast(items as bigint) as mentions,
        cast(monitored_mentions as bigint) as monitored_mentions,
        cast(comments as bigint) as comments,
        cast(positive as bigint) as positive,
        cast(neutral as bigint) as neutral,
        cast(negative as bigint) as negative,
        cast(unclassified as bigint) as unclassified,
        cast(positive + neutral + negative as bigint) as classified,
        {{ safe_ratio('positive', 'positive + neutral + negative') }} as positive_rate,
        {{ safe_ratio('negative', 'positive + neutral + negative') }} as negative_share,
        {{ safe_ratio('negative', 'positive + neutral + negative') }}
        > {{ var('negative_share_target') }} as negative_share_breach,
        cast(negatives_responded_1h as bigint) as negatives_responded_1h,
        cast(negative as bigint) as negatives_total,
        {{ safe_ratio('negatives_responded_1h', 'negative') }} as negative_response_sla_rate
    from daily

)

select * from final
