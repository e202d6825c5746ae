{#- The column contract every platform's conformed content snapshots share, in order, and the
    macros that build a conformed model and the union of them all. A column a platform does not
    export is NULL (typed), never 0. -#}

{% macro content_snapshot_columns() -%}
    {{ return([
        ('platform', 'text'),
        ('account_id', 'text'),
        ('content_id', 'text'),
        ('linked_id', 'text'),
        ('title', 'text'),
        ('content_type', 'text'),
        ('published_at', 'timestamptz'),
        ('published_time_known', 'boolean'),
        ('snapshot_date', 'date'),
        ('views', 'bigint'),
        ('views_is_capped', 'boolean'),
        ('readers', 'bigint'),
        ('impressions', 'bigint'),
        ('likes', 'bigint'),
        ('comments', 'bigint'),
        ('shares', 'bigint'),
        ('collects', 'bigint'),
        ('recommends', 'bigint'),
        ('coins', 'bigint'),
        ('danmaku', 'bigint'),
        ('followers_gained', 'bigint'),
        ('completion_rate', 'double precision'),
        ('avg_watch_seconds', 'double precision'),
        ('source_report', 'text'),
        ('file_sha256', 'text'),
        ('file_row_number', 'bigint'),
        ('ingested_at', 'timestamptz'),
    ]) }}
{%- endmacro %}

{#- The columns every content export has under the contract's name (identity, the primary
    consumption count, lineage). -#}
{% macro content_snapshot_common_columns() -%}
    {{ return([
        'platform', 'account_id', 'content_id', 'title', 'content_type', 'published_at',
        'snapshot_date', 'views', 'views_is_capped', 'file_sha256', 'file_row_number', 'ingested_at',
    ]) }}
{%- endmacro %}

{#- The select list of a conformed model: the common columns, the staging columns named in
    `present` (same name as in the contract), the expressions of `computed` (contract column →
    SQL); every other contract column is a typed NULL. -#}
{% macro conform_content_snapshot(present, computed) -%}
    {%- set known = content_snapshot_columns() | map(attribute=0) | list -%}
    {%- set given = content_snapshot_common_columns() + present -%}
    {%- for name in present + (computed.keys() | list) if name not in known -%}
        {{ exceptions.raise_compiler_error("conform_content_snapshot: " ~ name ~ " is not a column of the content snapshot contract") }}
    {%- endfor -%}
    {%- for name, data_type in content_snapshot_columns() %}
        {% if name in computed -%}
            {{ computed[name] }} as {{ name }}
        {%- elif name in given -%}
            {{ name }}
        {%- else -%}
            cast(null as {{ data_type }}) as {{ name }}
        {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The union of conformed models, in the contract's column order. -#}
{% macro union_content_snapshots(relations) -%}
    {%- set names = content_snapshot_columns() | map(attribute=0) | join(', ') -%}
    {%- for relation in relations %}
    select {{ names }} from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
