{#- 《用户需求周报》需求话题分布: per ISO week and user-need topic (mart_user_needs_weekly), the
    week's mentions (0 when the topic was only mentioned the week before), share and quotes
    against the week before: wow = mentions / mentions_previous − 1, share_change = share −
    share_previous (percentage points as a fraction), negative_share = negative mentions /
    mentions. A row for every topic mentioned in the week or the one before. -#}

with

needs as (

    select * from {{ ref('mart_user_needs_weekly') }}

),

keys as (

    select
        week_start,
        topic
    from needs
    union
    select
        cast({{ dbt.dateadd('day', 7, 'week_start') }} as date) as week_start,
        topic
    from needs

),

compared as (

    select
        keys.week_start,
        keys.topic,
        coalesce(current_week.topic_name, previous_week.topic_name) as topic_name,
        coalesce(current_week.mentions, 0) as mentions,
        current_week.share,
        current_week.negative_mentions,
        current_week.example_texts,
        previous_week.mentions as mentions_previous,
        previous_week.share as share_previous
    from keys
    left join needs as current_week
        on keys.week_start = current_week.week_start and keys.topic = current_week.topic
    left join needs as previous_week
        on
            cast({{ dbt.dateadd('day', -7, 'keys.week_start') }} as date) = previous_week.week_start
            and keys.topic = previous_week.topic

),

final as (

    select
        {{ iso_week('week_start') }} as week_label,
        week_start,
        topic,
        topic_name,
        mentions,
        share,
        negative_mentions,
        {{ safe_ratio('negative_mentions', 'mentions') }} as negative_share,
        example_texts,
        mentions_previous,
        share_previous,
        {{ relative_change('mentions', 'mentions_previous') }} as wow,
        share - share_previous as share_change
    from compared

)

select * from final
