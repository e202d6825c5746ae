{#- What comments and mentions ask for, per ISO week (Shanghai) and topic. A text takes the topic
    of the first keyword group (seed user_need_keywords, by priority) with a keyword inside it,
    else `other`. share = the topic's texts / all texts of the week; example_texts are up to three
    of the topic's most frequent texts of the week, separated by " | ". Each text's topic is
    classified once, incrementally, in int_sentiment_item_topics. -#}

with

items as (

    select
        item_key,
        item_text,
        sentiment,
        {{ iso_week('created_date') }} as week,
        {{ week_start('created_date') }} as week_start
    from {{ ref('int_sentiment_items') }}
    where item_text is not null

),

keywords as (

    select * from {{ ref('user_need_keywords') }}

),

topics as (

    select distinct
        topic,
        topic_name
    from keywords

),

item_topics as (

    select * from {{ ref('int_sentiment_item_topics') }}

),

classified as (

    select
        items.*,
        coalesce(item_topics.topic, 'other') as topic
    from items
    left join item_topics on items.item_key = item_topics.item_key

),

text_counts as (

    select
        week,
        topic,
        item_text,
        count(*) as occurrences
    from classified
    group by week, topic, item_text

),

examples as (

    select
        week,
        topic,
        item_text,
        row_number() over (
            partition by week, topic
            order by occurrences desc, item_text asc
        ) as example_rank
    from text_counts

),

example_lists as (

    select
        week,
        topic,
        string_agg(item_text, ' | ' order by example_rank) as example_texts
    from examples
    where example_rank <= 3
    group by week, topic

),

weekly as (

    select
        week,
        week_start,
        topic,
        count(*) as mentions,
        sum(case when sentiment = 'negative' then 1 else 0 end) as negative_mentions
    from classified
    group by week, week_start, topic

),

final as (

    select
        weekly.week,
        weekly.week_start,
        weekly.topic,
        coalesce(topics.topic_name, '其他') as topic_name,
        cast(weekly.mentions as bigint) as mentions,
        {{ safe_ratio('weekly.mentions', 'sum(weekly.mentions) over (partition by weekly.week)') }}
            as share,
        cast(weekly.negative_mentions as bigint) as negative_mentions,
        example_lists.example_texts
    from weekly
    left join topics on weekly.topic = topics.topic
    left join example_lists
        on
            weekly.week = example_lists.week
            and weekly.topic = example_lists.topic

)

select * from final
