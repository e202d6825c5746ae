{#- Incremental sentiment items: which mentions and comments a run rebuilds.

    `sentiment_changed_items(bound)` selects (item_type, platform, item_id) of every item whose
    inputs changed after `bound` (the newest `inputs_changed_at` already in int_sentiment_items,
    see `incremental_max`: the newest arrival, ingest or label, the model was built from): the
    platform is NULL for a mention (mentions are keyed by id alone).
    An item changes when
    - its comment or mention has a snapshot ingested after the bound (new, re-exported, corrected);
    - a comment ingested after the bound replies to it (its first brand response may change);
    - a brand_accounts row of its platform was ingested after the bound (every comment of that
      platform may turn into, or stop being, a brand reply);
    - a sentiment override of it was ingested after the bound;
    - the classifier labelled its text after the bound (prepare_warehouse labels new texts, and
      every text again when the model changes).
    Every input row written at or before the bound was there when the model was last built, so
    the rebuilt items are all the items whose row can differ. Returns none outside an incremental
    run or on an empty model (build everything). -#}

{% macro sentiment_changed_items(bound) -%}
    {%- set after = "cast('" ~ bound ~ "' as timestamp with time zone)" -%}
    select 'comment' as item_type, platform, comment_id as item_id
    from {{ ref('int_comments_latest') }}
    where ingested_at > {{ after }}
    union
    select 'comment' as item_type, platform, parent_comment_id as item_id
    from {{ ref('int_comments_latest') }}
    where ingested_at > {{ after }} and parent_comment_id is not null
    union
    select 'comment' as item_type, platform, comment_id as item_id
    from {{ ref('int_comments_latest') }}
    where platform in (
        select brand_accounts.platform from {{ ref('stg_brand__brand_accounts') }} as brand_accounts
        where brand_accounts.ingested_at > {{ after }}
    )
    union
    select 'mention' as item_type, cast(null as {{ dbt.type_string() }}) as platform, mention_id as item_id
    from {{ ref('stg_brand__mentions') }}
    where ingested_at > {{ after }}
    union
    select
        item_type,
        case when item_type = 'comment' then platform end as platform,
        item_id
    from {{ ref('stg_brand__sentiment_overrides') }}
    where ingested_at > {{ after }} and item_type is not null
    union
    select 'comment' as item_type, platform, comment_id as item_id
    from {{ ref('int_comments_latest') }}
    where text_hash in (
        select labels.text_hash from {{ ref('stg_sentiment__labels') }} as labels
        where labels.classified_at > {{ after }}
    )
    union
    select 'mention' as item_type, cast(null as {{ dbt.type_string() }}) as platform, mention_id as item_id
    from {{ ref('stg_brand__mentions') }}
    where {{ dbt.hash('mention_text') }} in (
        select labels.text_hash from {{ ref('stg_sentiment__labels') }} as labels
        where labels.classified_at > {{ after }}
    )
{%- endmacro %}


{#- A predicate: `relation`'s item (item_type, platform, item_id columns) is one of `changed`
    (the CTE selecting sentiment_changed_items). -#}

{% macro sentiment_item_in(changed, relation) -%}
    exists (
        select 1 from {{ changed }}
        where
            {{ changed }}.item_type = {{ relation }}.item_type
            and {{ changed }}.item_id = {{ relation }}.item_id
            and ({{ changed }}.item_type = 'mention' or {{ changed }}.platform = {{ relation }}.platform)
    )
{%- endmacro %}


{#- pre_hook of the incremental sentiment models: before the changed items are inserted again,
    delete them by their natural key (a comment by platform and id, a mention by id), so an item
    whose key moved (a mention's platform corrected) or that left the model (a comment that is
    now a brand reply) leaves no row behind. Nothing outside an incremental run. -#}

{% macro delete_changed_sentiment_items() -%}
    {%- set bound = incremental_max('inputs_changed_at') -%}
    {%- if bound is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    delete from {{ this }} as built
    where exists (
        select 1 from ({{ sentiment_changed_items(bound) }}) as changed
        where
            changed.item_type = built.item_type
            and changed.item_id = built.item_id
            and (changed.item_type = 'mention' or changed.platform = built.platform)
    )
{%- endmacro %}


{#- The readers of int_sentiment_items (mart_sentiment_items, int_sentiment_item_topics) take
    their changed items from it: an item whose row there can differ from the one a reader copied
    has `inputs_changed_at` after the newest one the reader copied (`bound`), see
    int_sentiment_items. `sentiment_changed_downstream(bound)` is the predicate on
    int_sentiment_items' rows (`relation`) a reader rebuilds. -#}

{% macro sentiment_changed_downstream(bound, relation='items') -%}
    {{ relation }}.inputs_changed_at > cast('{{ bound }}' as timestamp with time zone)
{%- endmacro %}


{#- pre_hook of the readers of int_sentiment_items: before the changed items are inserted again,
    delete every row of an item that changed upstream (by item_key, and a mention by its id, as
    its platform, and so its key, may have been corrected) and every comment of a platform whose
    brand accounts changed (a comment that turned into a brand reply left int_sentiment_items and
    is no changed row there). Nothing outside an incremental run. -#}

{% macro delete_changed_downstream_items() -%}
    {%- set bound = incremental_max('inputs_changed_at') -%}
    {%- if bound is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    delete from {{ this }} as built
    where
        built.item_key in (
            select items.item_key from {{ ref('int_sentiment_items') }} as items
            where {{ sentiment_changed_downstream(bound) }}
        )
        or (
            built.item_type = 'mention'
            and built.item_id in (
                select items.item_id from {{ ref('int_sentiment_items') }} as items
                where items.item_type = 'mention' and {{ sentiment_changed_downstream(bound) }}
            )
        )
        or (
            built.item_type = 'comment'
            and built.platform in (
                select brand_accounts.platform
                from {{ ref('stg_brand__brand_accounts') }} as brand_accounts
                where brand_accounts.ingested_at > cast('{{ bound }}' as timestamp with time zone)
            )
        )
{%- endmacro %}
