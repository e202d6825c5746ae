{#- Helpers of the content calendar's plan-to-content matching. -#}

{#- A title reduced to what a plan and its published content share: hashtags (#话题) left out,
    whitespace and punctuation (ASCII and full-width) removed, lower case. -#}
{% macro title_core(column) -%}
    lower(regexp_replace(
        regexp_replace(coalesce({{ column }}, ''), '[#＃][^[:space:]#＃]*', '', 'g'),
        '[[:space:][:punct:]，。！？、；：“”‘’（）【】《》〈〉｜·…—～「」『』]',
        '',
        'g'
    ))
{%- endmacro %}

{#- 1 … upper as rows (use in the select list) -#}
{% macro series_rows(upper) -%}
    {{ return(adapter.dispatch('series_rows', 'newmedia')(upper)) }}
{%- endmacro %}

{% macro default__series_rows(upper) -%}
    unnest(generate_series(1, {{ upper }}))
{%- endmacro %}

{% macro postgres__series_rows(upper) -%}
    generate_series(1, {{ upper }})
{%- endmacro %}

{#- The content id a published content's link names, per platform: 公众号 mid_idx (msgid),
    快手 /short-video/<作品ID>, 抖音 /video/<id>, 小红书 /explore/<笔记ID>, B站 BV号. -#}
{% macro link_content_id(platform, link) -%}
    case {{ platform }}
        when 'wechat_oa' then {{ wechat_msgid(link) }}
        when 'kuaishou' then coalesce(
            {{ regex_extract(link, '/short-video/([0-9A-Za-z]+)') }},
            {{ regex_extract(link, '/photo/([0-9A-Za-z]+)') }}
        )
        when 'douyin' then coalesce(
            {{ regex_extract(link, '/video/([0-9]+)') }},
            {{ regex_extract(link, 'modal_id=([0-9]+)') }}
        )
        when 'xiaohongshu' then coalesce(
            {{ regex_extract(link, '/explore/([0-9a-f]+)') }},
            {{ regex_extract(link, '/discovery/item/([0-9a-f]+)') }}
        )
        when 'bilibili' then {{ regex_extract(link, '(BV[0-9A-Za-z]{10})') }}
    end
{%- endmacro %}
