{#- Every brand mention and every comment on the brand's contents (brand replies excluded), with
    its sentiment (override > the tool's label > the lexicon, see int_sentiment_items) and the
    labels behind it, its first brand response, the response time and whether the 1-hour SLA was
    met: what the negative-sentiment alert and the weekly user needs report read.
    Incremental (delete+insert on item_key after a pre-hook deletes the changed items by natural
    key, delete_changed_downstream_items): a run copies the items of int_sentiment_items whose
    `inputs_changed_at` is after the newest one it holds, the changed items taken from upstream
    (sentiment_incremental.sql). -#}

{{
    config(
        materialized='incremental',
        unique_key='item_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_downstream_items() }}"
    )
}}

-- what delete_changed_downstream_items reads:
-- depends_on: {{ ref('stg_brand__brand_accounts') }}
{%- set bound = incremental_max('inputs_changed_at') %}

with

all_items as (

    select * from {{ ref('int_sentiment_items') }}

),

items as (

    select * from all_items
    {% if bound is not none %}
        where {{ sentiment_changed_downstream(bound, 'all_items') }}
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
        ingested_at,
        inputs_changed_at
    from items

)

select * from final
