{#- Every brand mention and every comment on the brand's contents (brand replies excluded), with
    its sentiment (override > the tool's label > the lexicon, see int_sentiment_items) and the
    labels behind it, its first brand response, the response time and whether the 1-hour SLA was
    met: what the negative-sentiment alert and the weekly user needs report read. -#}

with

items as (

    select * from {{ ref('int_sentiment_items') }}

),

final as (

    select
        item_key,
        item_type,
        item_id,
        platform,
        account_id,
        linked_content_id,
        item_text,
        url,
        matched_keyword,
        sentiment,
        sentiment_source,
        source_label,
        lexicon_label,
        lexicon_score,
        negative_probability,
        lexicon_version,
        override_reason,
        override_by,
        created_at,
        created_date,
        {{ iso_week('created_date') }} as week,
        created_at + interval '1 hour' as sla_deadline_at,
        first_response_at,
        response_seconds,
        is_responded_1h,
        ingested_at
    from items

)

select * from final
