{#- The review queue: the model-labelled mentions and comments (no manual override, no monitoring
    tool's label) of the last 14 days before the latest item, least certain first. The model's
    probabilities are rebuilt from the stored score (P(positive) - P(negative)) and P(negative);
    certainty is the largest of the three, margin the gap between the two largest. A reviewer's
    label goes to the sentiment_overrides template, which wins over the model and is training data
    for `newmedia sentiment train --with-overrides`. At most 200 items. -#}

with

items as (

    select * from {{ ref('mart_sentiment_items') }}
    where sentiment_source = 'lexicon' and negative_probability is not null

),

latest as (

    select max(created_date) as latest_date from items

),

recent as (

    select
        items.*,
        items.negative_probability as p_negative,
        least(greatest(items.lexicon_score + items.negative_probability, 0), 1) as p_positive
    from items
    cross join latest
    where items.created_date > latest.latest_date - 14

),

probabilities as (

    select
        *,
        greatest(1 - p_positive - p_negative, 0) as p_neutral
    from recent

),

scored as (

    select
        *,
        greatest(p_positive, p_neutral, p_negative) as certainty,
        -- the largest minus the middle one (= sum - largest - smallest)
        2 * greatest(p_positive, p_neutral, p_negative)
        + least(p_positive, p_neutral, p_negative)
        - p_positive
        - p_neutral
        - p_negative as margin
    from probabilities

),

ranked as (

    select
        *,
        row_number() over (
            order by margin asc, certainty asc, created_at desc, item_key asc
        ) as review_rank
    from scored

),

final as (

    select
        cast(review_rank as bigint) as review_rank,
        item_key,
        item_type,
        item_id,
        platform,
        account_id,
        item_text,
        url,
        lexicon_label as model_label,
        cast(p_positive as double precision) as p_positive,
        cast(p_neutral as double precision) as p_neutral,
        cast(p_negative as double precision) as p_negative,
        cast(certainty as double precision) as certainty,
        cast(margin as double precision) as margin,
        created_at,
        created_date,
        week
    from ranked
    where review_rank <= 200

)

select * from final
