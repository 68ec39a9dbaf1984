"""Tests for cross-script search keys, match highlighting and reading conversion."""

import itertools
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import chinese
from core.chinese import (
    ALIASES_VERSION,
    READING_CHOICES,
    aliases_version,
    aligned_key,
    base_key,
    convert_for_reading,
    load_aliases,
    match_spans,
    search_key,
    search_terms,
    word_globs,
    word_pattern,
)

ALIASES = load_aliases()

# Words that must give one key whichever script or region they are written in.
REQUIRED_GROUPS = [
    ("人工智慧", "人工智能"),
    ("晶片", "芯片"),
    ("演算法", "算法"),
    ("軟體", "软件"),
    ("網路", "网络"),
    ("資料", "数据"),
    ("半導體", "半导体"),
    ("投資", "投资"),
    ("美國", "美国"),
    ("經濟", "经济"),
    ("輝達", "英偉達", "英伟达"),
    ("台積電", "台积电"),
    ("深度求索", "深度求索"),
    ("資料中心", "数据中心"),
    ("雲端", "云端"),
    ("雲端服務", "云服务"),
    ("行動通訊", "移动通信"),
    ("行動裝置", "移动设备"),
    ("伺服器", "服务器"),
    ("記憶體", "内存"),
    ("硬碟", "硬盘"),
    ("程式", "程序"),
    ("資訊", "信息"),
    ("網際網路", "互联网"),
    ("數位", "数字"),
    ("影片", "视频"),
    ("高通", "高通"),
    ("微軟", "微软"),
    ("臉書", "脸书"),
    ("推特", "推特"),
    ("智慧型手機", "智能手机"),
    ("雲端運算", "云计算"),
    ("機器學習", "机器学习"),
    ("大型語言模型", "大语言模型"),
    ("生成式AI", "生成式ai"),
    ("算力", "算力"),
    ("資料庫", "数据库"),
    ("雪梨歌劇院", "悉尼歌剧院"),
    ("紐西蘭", "新西兰", "新西蘭"),
    ("阿特曼", "奧特曼", "阿尔特曼"),
    ("祖克柏", "扎克伯格", "朱克伯格"),
    ("人臉辨識", "人脸识别"),
    ("普丁", "普京"),
    ("歐巴馬", "奥巴马"),
    ("奈米", "纳米"),
    ("新台幣", "新臺幣", "新台币"),
    ("人民幣", "人民币"),
    ("860億", "860亿"),
    ("隨身碟", "U盘"),
    ("流動通訊", "移动通信"),
    ("軟件", "软件"),
    ("數據", "数据"),
    ("網絡", "网络"),
    ("易利信", "爱立信", "Ericsson"),
    ("邱吉爾", "丘吉尔"),
    ("布殊", "布什"),
    ("塔吉克", "塔吉克斯坦"),
    ("聯邦通訊委員會", "联邦通信委员会"),
    ("市佔率", "市场份额", "市占率"),
    ("資本支出", "资本开支"),
    ("便當", "盒饭"),
    ("仲介", "中介"),
    ("演算力", "算力"),
    ("電信商", "电信运营商"),
    ("社群平台", "社交平台"),
    ("蝕刻", "刻蚀", "刻蝕"),
    ("營收", "营业收入"),
    ("股東會", "股东大会"),
    ("創投", "风投", "风险投资"),
    ("可轉換公司債", "可转债"),
    ("行政命令", "行政令"),
    ("賓州", "宾夕法尼亚", "賓夕凡尼亞"),
    ("季辛格", "基辛格"),
    ("格達費", "卡扎菲"),
    ("千里達", "特立尼达"),
    ("叢集", "集群"),
    ("健保", "医保"),
    ("奇異果", "猕猴桃"),
]
PAIRS = [
    (group[i], group[j])
    for group in REQUIRED_GROUPS
    for i in range(len(group))
    for j in range(len(group))
    if i != j
]

SENTENCE = "據報導，{}已成為焦點。"


def in_sentence(word):
    return SENTENCE.format(word)


# The alias table.


@pytest.mark.parametrize(
    "alias", [a for a in ALIASES if not a.protects], ids=lambda alias: alias.variant
)
def test_alias_variant_and_canonical_share_a_key(alias):
    assert search_key(alias.variant) == search_key(alias.canonical)
    assert search_key(alias.canonical) in search_key(in_sentence(alias.variant))
    assert search_key(alias.variant) in search_key(in_sentence(alias.canonical))


@pytest.mark.parametrize(
    "alias", [a for a in ALIASES if not a.protects], ids=lambda alias: alias.variant
)
def test_alias_is_needed_and_its_key_is_stable(alias):
    # An entry OpenCC already unifies only adds noise to the table.
    assert base_key(alias.variant) != base_key(alias.canonical)
    key = search_key(alias.canonical)
    assert search_key(key) == key


@pytest.mark.parametrize(
    "alias", [a for a in ALIASES if a.protects], ids=lambda alias: alias.variant
)
def test_protecting_alias_keeps_its_word_whole(alias):
    word = base_key(alias.variant)
    assert search_key(alias.variant) == word
    shielded = [
        other for other in ALIASES if not other.protects and base_key(other.variant) in word
    ]
    assert shielded, "a protecting entry must contain a shorter variant it shields"


def test_alias_table_has_no_duplicate_variants():
    variants = [base_key(alias.variant) for alias in ALIASES]
    assert len(variants) == len(set(variants))


def test_alias_table_rejects_malformed_lines(tmp_path):
    table = tmp_path / "aliases.tsv"
    table.write_text("# comment\n\n晶片\t芯片\n", encoding="utf-8")
    with pytest.raises(ValueError, match="aliases.tsv:3"):
        load_aliases(table)
    table.write_text("晶 片\t芯片\tspace inside\n", encoding="utf-8")
    with pytest.raises(ValueError, match="space"):
        load_aliases(table)


def test_aliases_version_follows_the_table(tmp_path):
    table = tmp_path / "aliases.tsv"
    table.write_bytes(chinese.ALIASES_PATH.read_bytes())
    assert aliases_version(table) == ALIASES_VERSION
    table.write_text(table.read_text(encoding="utf-8") + "螢光\t荧光\twhy\n", encoding="utf-8")
    assert aliases_version(table) != ALIASES_VERSION


# Required pairs, in both directions.


@pytest.mark.parametrize(("word", "other"), PAIRS, ids="/".join)
def test_required_pair_shares_a_key(word, other):
    assert search_key(word) == search_key(other)
    assert search_key(other) in search_key(in_sentence(word))


def test_action_is_not_mobile():
    assert search_key("行動計畫") == search_key("行动计划")
    assert "移动" not in search_key("政府推出行動計畫")
    assert "移动" in search_key("行動支付與行動網路")


def test_folder_is_not_data():
    assert search_key("資料夾") == search_key("文件夹")
    assert "数据" not in search_key("資料夾")


def test_protected_words_are_not_rewritten():
    assert search_key("解方程式") == "解方程式"
    assert "软件" not in search_key("軟體動物")


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("水晶片刻之間", "芯片"),
        ("软体家具销量", "软件"),
        ("電影片段", "视频"),
        ("四川普通話", "特朗普"),
        ("光輝達到頂點", "英伟达"),
        ("這段記憶體現了歷史", "内存"),
        ("北韓執行長程飛彈試射", "首席执行官"),
        ("礦石質地堅硬體積小", "硬件"),
        ("運動員擁有堅韌體魄", "固件"),
        ("美術館展出大型裝置藝術", "设备"),
        ("嘉賓士氣高昂", "奔驰"),
        ("溶液形成白色結晶片狀物", "芯片"),
        ("即便當時如此", "盒饭"),
        ("提起司法訴訟", "奶酪"),
        ("政府公布殊榮名單", "布什"),
        ("權威訊息來源", "威瑞森"),
        ("新疆塔吉克族牧民", "塔吉克斯坦"),
        ("電信商業模式轉型", "电信运营商"),
        ("開創投資新局面", "风投"),
        ("加大原創投入", "风投"),
        ("損益表現不佳", "利润表"),
        ("日行千里達成目標", "特立尼达"),
        ("寶貝南下旅遊", "贝宁"),
        ("住宅配套設施不足", "快递"),
        ("用游标卡尺测量", "光标"),
        ("保健保險產品", "医保"),
        ("工廠生產險些中斷", "财险"),
        ("金融卡脖子", "借记卡"),
        ("提款機制", "取款机"),
        ("核電廠商", "核电站"),
        ("飛機上盒飯", "机顶盒"),
        ("充電玩具車", "电子游戏"),
        ("股東會晤董事長", "股东大会"),
    ],
)
def test_an_alias_does_not_rewrite_across_two_words(text, not_found):
    assert not_found not in search_key(text)


def _longest_variants(variants, text):
    """What the alias table must find: left to right, at each place the longest variant
    there, a Latin one only as a whole word."""
    found, place = [], 0
    while place < len(text):
        for variant in sorted(variants, key=len, reverse=True):
            end = place + len(variant)
            if (
                text.startswith(variant, place)
                and not ("a" <= variant[0] <= "z" and place and "a" <= text[place - 1] <= "z")
                and not ("a" <= variant[-1] <= "z" and "a" <= text[end : end + 1] <= "z")
            ):
                found.append((place, variant))
                place = end
                break
        else:
            place += 1
    return found


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    variants=st.sets(st.text(alphabet="ab人工智能x", min_size=1, max_size=4), max_size=12),
    text=st.text(alphabet="ab人工智能xy ", max_size=24),
)
def test_alias_pattern_finds_the_longest_variant_at_each_place(variants, text):
    pattern = chinese.variants_pattern(variants)
    found = [(match.start(), match.group()) for match in pattern.finditer(text)]
    assert found == _longest_variants(variants, text)


def test_alias_pattern_finds_variants_among_many_first_characters():
    variants = {chr(0x4E00 + 7 * n) + "子" for n in range(100)} | {"丁子香", "amd"}
    text = "丁子香 " + chr(0x4E00 + 7 * 60) + "子 amdahl amd"
    found = [match.group() for match in chinese.variants_pattern(variants).finditer(text)]
    assert found == ["丁子香", chr(0x4E00 + 7 * 60) + "子", "amd"]


def test_latin_names_match_only_as_words():
    assert search_key("Nvidia's") == "英伟达's"
    assert search_key("nvidias") == "nvidias"
    assert search_key("GoogleDeepMind") == "googledeepmind"


# Case, width and numbers.


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ＡＩ", "ai"),
        ("２０２３", "2023"),
        ("，", ","),
        ("CSET", "cset"),
        ("cset", "cset"),
        ("DeepSeek", "深度求索"),
        ("ﬁnance", "finance"),
        ("Straße", "strasse"),
        ("e\u0301", "é"),
        ("a\u3000b", "a b"),
        ("衞", "卫"),
    ],
)
def test_width_and_case_fold(text, key):
    assert search_key(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1,840", "1840"),
        ("1 840", "1840"),
        ("1，840", "1840"),
        ("１，８４０", "1840"),
        ("1\u00a0840", "1840"),
        ("1,840,000億", "1840000亿"),
        ("1,840.5", "1840.5"),
        ("2023, 2024", "2023, 2024"),
        ("2023,2024", "2023,2024"),
        ("12,34", "12,34"),
        ("1,2345", "1,2345"),
        ("3、400", "3、400"),
        ("0.123,456", "0.123,456"),
    ],
)
def test_numbers(text, key):
    assert search_key(text) == key


# Query terms.


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("人工智慧 投資", ["人工智能", "投资"]),
        ("  投資\t投资  投資 ", ["投资"]),
        ("", []),
        ("   ", []),
        ("1 840 晶片", ["1840", "芯片"]),
        ("１，８４０", ["1840"]),
        ("輝達\u3000CSET", ["英伟达", "cset"]),
        ("2023 2024", ["2023", "2024"]),
    ],
)
def test_search_terms(query, terms):
    assert search_terms(query) == terms


# Highlighting.


def spans_text(text, terms):
    return [text[start:end] for start, end in match_spans(text, terms)]


def test_simplified_term_highlights_traditional_word():
    text = "台灣的人工智慧產業"
    assert match_spans(text, search_terms("人工智能")) == [(3, 7)]


def test_number_highlights_number_with_separators():
    text = "共有1,840家公司"
    assert spans_text(text, ["1840"]) == ["1,840"]


def test_latin_term_highlights_full_width_letters():
    assert spans_text("ＡＩ晶片", ["ai"]) == ["ＡＩ"]


def test_length_changing_phrase_before_match_does_not_shift_highlight():
    text = "隨身碟與ﬁ和1,840筆資料"
    assert spans_text(text, search_terms("数据")) == ["資料"]
    assert spans_text(text, search_terms("U盘")) == ["隨身碟"]


def test_match_inside_changed_stretch_covers_it_whole():
    assert spans_text("½杯", ["1"]) == ["½"]
    assert spans_text("ﬁx", ["fix"]) == ["ﬁx"]


def test_a_latin_word_or_a_number_is_marked_where_it_is_whole_only():
    assert spans_text("Taiwan的AI與AIGC、OpenAI、AIs", ["ai"]) == ["AI"]
    assert spans_text("8 GPUs與GPUZ", ["gpu"]) == ["GPUs"]
    assert spans_text("IT業、its revenue、USS", ["it", "us"]) == ["IT"]
    assert spans_text("用C++寫、c+", ["c++"]) == ["C++"]
    assert spans_text("H200與H20", ["h20"]) == ["H20"]
    assert spans_text("GPT-4o與GPT-4、GPT-4.5", ["gpt-4"]) == ["GPT-4"]
    assert spans_text("100億元與100k", ["100"]) == ["100", "100"]


def test_overlapping_matches_merge():
    text = "人工智慧晶片"
    assert match_spans(text, search_terms("人工智能 智能芯片 芯片")) == [(0, 6)]


def test_no_terms_or_no_match():
    assert match_spans("人工智慧", []) == []
    assert match_spans("人工智慧", [""]) == []
    assert match_spans("人工智慧", ["芯片"]) == []
    assert match_spans("", ["芯片"]) == []


# Reading conversion.


def test_reading_choices():
    assert [value for value, _ in READING_CHOICES] == ["published", "hant_tw", "hant_hk", "hans"]
    assert all(label for _, label in READING_CHOICES)


@pytest.mark.parametrize(
    ("text", "script", "target"),
    [
        ("软件和数据", "hans", "hans"),
        ("軟體和資料", "hant", "hant_tw"),
        ("軟體和資料", "hant", "hant_hk"),
        ("軟件和數據", "hant", "hant_tw"),
        ("软件和數據", "mixed", "published"),
        ("軟體和資料", "hant", "published"),
    ],
)
def test_text_already_in_target_script_is_not_converted(text, script, target):
    converted = convert_for_reading(text, script=script, region="tw", target=target)
    assert converted.text == text
    assert not converted.changed
    assert converted.map_span(0, len(text)) == (0, len(text))


def test_simplified_to_taiwan_uses_taiwan_vocabulary():
    converted = convert_for_reading("软件和数据", script="hans", region="cn", target="hant_tw")
    assert converted.text == "軟體和資料"
    assert converted.changed


def test_simplified_to_hong_kong_keeps_characters_only():
    converted = convert_for_reading("软件和数据", script="hans", region="cn", target="hant_hk")
    assert converted.text == "軟件和數據"


def test_hong_kong_source_to_simplified_goes_through_hk2s():
    converted = convert_for_reading("記憶體裏的數據", script="hant", region="hk", target="hans")
    # hk2s changes characters only; tw2sp would have said 内存.
    assert converted.text == "记忆体里的数据"


@pytest.mark.parametrize("region", ["tw", "other", "cn"])
def test_other_traditional_source_to_simplified_goes_through_tw2sp(region):
    converted = convert_for_reading("軟體和資料", script="hant", region=region, target="hans")
    assert converted.text == "软件和数据"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"script": "latin", "region": "tw", "target": "hans"},
        {"script": "hant", "region": "mo", "target": "hans"},
        {"script": "hant", "region": "tw", "target": "hant"},
    ],
)
def test_unknown_choices_raise(kwargs):
    with pytest.raises(ValueError):
        convert_for_reading("軟體", **kwargs)


U_DISK_TEXT = "我把U盘插进电脑，软件和数据都在里面。"


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("插进电脑", "插進電腦"),  # after the longer word
        ("我把", "我把"),  # before it
        ("U盘", "隨身碟"),  # the word itself
        ("把U盘插", "把隨身碟插"),  # around it
        ("软件和数据", "軟體和資料"),
    ],
)
def test_quote_mapped_across_length_change(quote, expected):
    converted = convert_for_reading(U_DISK_TEXT, script="hans", region="cn", target="hant_tw")
    assert converted.text == "我把隨身碟插進電腦，軟體和資料都在裡面。"
    start = U_DISK_TEXT.index(quote)
    new_start, new_end = converted.map_span(start, start + len(quote))
    assert converted.text[new_start:new_end] == expected


@pytest.mark.parametrize(("quote", "contains"), [("盘插", "隨身碟插"), ("把U", "把隨身碟")])
def test_quote_boundary_inside_changed_word_covers_whole_word(quote, contains):
    converted = convert_for_reading(U_DISK_TEXT, script="hans", region="cn", target="hant_tw")
    start = U_DISK_TEXT.index(quote)
    new_start, new_end = converted.map_span(start, start + len(quote))
    assert contains in converted.text[new_start:new_end]


def test_map_offset_outside_and_inside_changed_word():
    converted = convert_for_reading(U_DISK_TEXT, script="hans", region="cn", target="hant_tw")
    assert converted.map_offset(0) == 0
    assert converted.map_offset(2) == 2
    assert converted.map_offset(3) == 2  # inside U盘: the word's start
    assert converted.map_offset(4) == 5
    assert converted.map_offset(len(U_DISK_TEXT)) == len(converted.text)
    assert converted.map_offset(-5) == 0
    assert converted.map_offset(10_000) == len(converted.text)


MIXED = "他说：「台積電的晶片很好」，人工智能发展迅速。"


def test_mixed_text_converts_only_runs_in_the_other_script():
    to_taiwan = convert_for_reading(MIXED, script="mixed", region="other", target="hant_tw")
    assert to_taiwan.text == "他說：「台積電的晶片很好」，人工智慧發展迅速。"
    to_simplified = convert_for_reading(MIXED, script="mixed", region="other", target="hans")
    assert to_simplified.text == "他说：「台积电的芯片很好」，人工智能发展迅速。"


def test_mixed_text_neutral_run_follows_its_neighbour():
    text = "軟體很好。人工智能"
    converted = convert_for_reading(text, script="mixed", region="tw", target="hant_tw")
    # 人工智能 has no script of its own and follows the Traditional run before it.
    assert converted.text == text


def test_mixed_text_keeps_offsets():
    converted = convert_for_reading(MIXED, script="mixed", region="other", target="hant_tw")
    start = MIXED.index("人工智能")
    new_start, new_end = converted.map_span(start, start + 4)
    assert converted.text[new_start:new_end] == "人工智慧"


# Properties.

ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from("人工智慧能軟體软件資料数据U盘隨身碟1,840 ，。ＡＩﬁ\u0301\x00\ud800\udfff"),
    )
)
PROPERTY_SETTINGS = settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(ANY_TEXT)
def test_search_key_never_raises(text):
    key = search_key(text)
    assert isinstance(key, str)
    search_terms(text)


@pytest.mark.parametrize("text", ["\ud800", "a\x00b", "\udfff人工智慧\x07", "\x00" * 3])
def test_search_key_handles_surrogates_and_controls(text):
    assert "\x00" not in search_key(text)
    search_key(text).encode("utf-8")


@PROPERTY_SETTINGS
@given(ANY_TEXT)
def test_key_alignment_is_monotonic_and_in_bounds(text):
    key, lo, hi = aligned_key(text)
    assert key == search_key(text)
    assert len(lo) == len(hi) == len(key)
    assert all(0 <= a < b <= len(text) for a, b in zip(lo, hi, strict=True))
    assert lo == sorted(lo)
    assert hi == sorted(hi)


@PROPERTY_SETTINGS
@given(ANY_TEXT, st.lists(st.sampled_from(["人工智能", "数据", "1840", "ai", "u盘"])))
def test_match_spans_are_sorted_disjoint_and_in_bounds(text, terms):
    spans = match_spans(text, terms)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


@PROPERTY_SETTINGS
@given(
    ANY_TEXT,
    st.sampled_from(["hant", "hans", "mixed"]),
    st.sampled_from(["hk", "tw", "cn", "other"]),
    st.sampled_from([value for value, _ in READING_CHOICES]),
)
def test_map_offset_is_monotonic_and_in_bounds(text, script, region, target):
    converted = convert_for_reading(text, script=script, region=region, target=target)
    offsets = [converted.map_offset(i) for i in range(len(text) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[0] == 0
    assert offsets[-1] == len(converted.text)
    assert converted.changed == (converted.text != text)


CONTEXT = st.text(st.sampled_from("的是在和年有，。 "), max_size=6)


@PROPERTY_SETTINGS
@given(st.sampled_from(PAIRS + [(a.variant, a.canonical) for a in ALIASES]), CONTEXT, CONTEXT)
def test_other_script_query_is_found_in_any_text_with_the_word(pair, before, after):
    word, other = pair
    text = before + word + after
    # Unless the words around it make a longer word that a protecting entry keeps whole:
    # 年假訊息 is news of annual leave, not 假訊息 (disinformation).
    word_key, text_key = base_key(word), base_key(text)
    assume(not any(word_key in key and key in text_key for key in PROTECTED_KEYS))
    assert search_key(other) in search_key(text)


PROTECTED_KEYS = [base_key(alias.variant) for alias in ALIASES if alias.protects]


PLAIN = "經濟發展美國投資中國台灣香港的了是在和年月日abcXYZ，。"


def test_plain_alphabet_forms_no_alias():
    folded = base_key(PLAIN)
    assert not [a for a in ALIASES if set(base_key(a.variant)) <= set(folded)]


@PROPERTY_SETTINGS
@given(st.text(st.sampled_from(PLAIN)), st.data())
def test_key_of_substring_occurs_in_key_of_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert search_key(text[start:end]) in search_key(text)


@PROPERTY_SETTINGS
@given(st.text(st.sampled_from(PLAIN + "人工智慧軟體資料晶片隨身碟1,840 ＡＩ")))
def test_search_key_is_idempotent(text):
    key = search_key(text)
    assert search_key(key) == key


@pytest.mark.parametrize(
    ("text", "script", "region"),
    [
        ("2017年7月，中国国务院发布《新一代人工智能发展规划》", "hans", "other"),
        ("其最新版本支持200万字的文本输入", "hans", "hk"),
        ("這意味著它們的估值超過10億美元", "hant", "tw"),
        ("輝達執行長黃仁勳說，專案使用的晶片與軟體都來自台積電", "hant", "tw"),
        ("用户可在移动设备上用U盘存储数据", "hans", "cn"),
    ],
)
@pytest.mark.parametrize("target", ["hant_tw", "hant_hk", "hans"])
def test_quote_copied_from_converted_view_finds_the_original(text, script, region, target):
    shown = convert_for_reading(text, script=script, region=region, target=target).text
    key = search_key(text)
    assert [term for term in search_terms(shown) if term not in key] == []


GLOB_TERMS = ["ai", "a", "s", "h20", "gpt-4", "1.5", "9", "a*b", "[x", "中ai", "1中"]
GLOB_PIECES = ["", "ai", "s", "h20", "gpt-4", "1.5", ".", "1", "9", "x", "中", " ", "*", "[", "b"]


def test_sqlite_globs_hold_a_word_exactly_where_the_regular_expression_does():
    # Every key of up to three pieces, each term: SQLite's GLOB and the regular expression
    # must agree on every one.
    connection = sqlite3.connect(":memory:")
    keys = sorted({"".join(parts) for parts in itertools.product(GLOB_PIECES, repeat=3)})
    disagreements = []
    for term in GLOB_TERMS:
        pattern, globs = word_pattern(term), word_globs(term)
        for key in keys:
            expected = re.search(pattern, key) is not None
            found = any(
                connection.execute("SELECT ? GLOB ?", (key, glob)).fetchone()[0] for glob in globs
            )
            if found != expected:
                disagreements.append((term, key, expected))
    connection.close()
    assert disagreements == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # Taiwan's spacing between Chinese and Latin or digits is not part of the words.
        ("台灣 AI 晶片", "台湾ai芯片"),
        ("新台幣 100 億元", "新台币100亿元"),
        # Thousands join within a number, not across a name's number and the next one.
        ("營收1 840億", "营收1840亿"),
        ("iPhone 16 256GB", "iphone 16 256gb"),
        ("GPT-4 128K", "gpt-4 128k"),
        ("Llama 3 405B", "llama 3 405b"),
        # Invisible and variant punctuation.
        ("人工\u200b智能", "人工智能"),
        ("GPT\u20114", "gpt-4"),
        # A name is one word, its parts' dot written or not, in any of its forms.
        ("山姆\u2027奧特曼", "山姆奥特曼"),
        ("伊隆·馬斯克", "埃隆马斯克"),
        ("伊隆馬斯克", "埃隆马斯克"),
        ("C·C·Wei", "c·c·wei"),
    ],
)
def test_keys_drop_spacing_and_invisible_marks_but_keep_numbers_apart(text, key):
    assert search_key(text) == key


def test_a_query_keeps_its_words_apart_where_a_text_is_joined():
    assert search_terms("100億 AI晶片") == ["100亿", "ai芯片"]
    assert search_terms("1 840") == ["1840"]
    text = "新台幣 100 億元的 AI 晶片"
    assert spans_text(text, search_terms("100億 AI晶片")) == ["100 億", "AI 晶片"]
