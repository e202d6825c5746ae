{#- Every brand mention and every comment on the brand's contents (brand replies excluded), with
    its sentiment (override > the tool's label > the lexicon, see int_sentiment_items) and the
    labels behind it, its first brand response, the response time and whether the 1-hour SLA was
    met: what the negative-sentiment alert and the weekly user needs report read.
    Incremental like int_sentiment_items (delete+insert on item_key after a pre-hook deletes the
    changed items by natural key): a run copies the items changed since its newest `ingested_at`. -#}

{{
    config(
        materialized='incremental',
        unique_key='item_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_sentiment_items() }}"
    )
}}

-- what sentiment_changed_items reads:
-- depends_on: {{ ref('int_comments_latest') }}, {{ ref('stg_brand__brand_accounts') }}
-- depends_on: {{ ref('stg_brand__mentions') }}, {{ ref('stg_brand__sentiment_overrides') }}
-- depends_on: {{ ref('stg_sentiment__labels') }}
{%- set bound = incremental_max('ingested_at') %}

with

{% if bound is not none %}
changed as (

    {{ sentiment_changed_items(bound) }}

),
{% endif %}

all_items as (

    select * from {{ ref('int_sentiment_items') }}

),

items as (

    select * from all_items
    {% if bound is not none %}
        where {{ sentiment_item_in('changed', 'all_items') }}
    {% endif %}

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
