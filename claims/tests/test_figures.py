"""Tests of claims.figures: what counts as a figure in Chinese news text, and how it is read."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.figures import HEDGES, UNITS, ParsedFigure, parse_figure, parse_figures

LABELLED = Path(__file__).parent / "data" / "figures_labelled.yaml"
NUMBER_LIKE = "0123456789,.%億万萬一二十百千兩年月至約超過多家元美个 第-/（）"


def only(text, region=None) -> ParsedFigure:
    figures = parse_figures(text, region=region)
    assert len(figures) == 1, figures
    return figures[0]


def read(text, region=None):
    figure = only(text, region)
    return figure.text, figure.value, figure.unit, figure.hedge, figure.lower, figure.upper


D = Decimal


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("總額6050億美元", "6050億美元", D("605000000000")),
        ("規模為12.3億美元", "12.3億美元", D("1230000000")),
        ("投資1.5兆新台幣", "1.5兆新台幣", D("1500000000000")),
        ("經濟規模53.9萬億元人民幣", "53.9萬億元人民幣", D("53900000000000")),
        ("经济规模53.9万亿元人民币", "53.9万亿元人民币", D("53900000000000")),
        ("一京次運算", "一京次", D("10000000000000000")),
        ("資本一千億元人民幣", "一千億元人民幣", D("100000000000")),
        ("共有五百六十萬人", "五百六十萬人", D("5600000")),
        ("人均4萬4,181美元", "4萬4,181美元", D("44181")),
        ("共417億8,160萬7千元人民幣", "417億8,160萬7千元人民幣", D("41781607000")),
        ("有兩千家企業", "兩千家", D("2000")),
        ("有两千家企业", "两千家", D("2000")),
        ("捐款壹佰貳拾萬元人民幣", "壹佰貳拾萬元人民幣", D("1200000")),
        ("招收２０２３名學生", "２０２３名", D("2023")),
        ("投資560 万美元", "560 万美元", D("5600000")),
        ("部署6 000个节点", "6 000个", D("6000")),
        ("规模为1,751亿元人民币", "1,751亿元人民币", D("175100000000")),
        ("帶動百萬個就業機會", "百萬個", D("1000000")),
    ],
)
def test_numbers_are_read_in_every_written_form(text, span, value):
    figure = only(text)
    assert (figure.text, figure.value) == (span, value)


@pytest.mark.parametrize(
    ("text", "region", "unit"),
    [
        ("6050億美元", None, "USD"),
        ("這筆錢用在三件事", None, "count"),
        ("日均订单量超过6000万单", "cn", "count"),
        ("每日处理50万单", "cn", "count"),
        ("存栏100头猪", "cn", "count"),
        ("人民幣3,440億元", None, "CNY"),
        ("3440亿元人民币", None, "CNY"),
        ("新台幣1.4兆元", None, "TWD"),
        ("1.4兆台幣", None, "TWD"),
        ("256億港元", None, "HKD"),
        ("100億港幣", None, "HKD"),
        ("20億歐元", None, "EUR"),
        ("5億歐羅", None, "EUR"),
        ("300億日圓", None, "JPY"),
        ("300亿日元", None, "JPY"),
        ("US$109.1 billion", None, "USD"),
        ("投資200億元", "cn", "CNY"),
        ("投資200億元", "tw", "TWD"),
        ("投資200億元", "hk", "HKD"),
        ("規模達200億", "tw", "TWD"),
        ("规模达30亿", "cn", "CNY"),
        ("增長29%", None, "percent"),
        ("增長29％", None, "percent"),
        ("占三成", None, "percent"),
        ("百分之四十二", None, "percent"),
        ("一半", None, "percent"),
        ("上升4.17個百分點", None, "percentage_point"),
        ("上升4.17个百分点", None, "percentage_point"),
        ("成長3.5倍", None, "times"),
        ("用了約1/10的算力", None, "times"),
        ("占三分之一", None, "times"),
        ("7奈米製程", None, "nm"),
        ("7纳米工艺", None, "nm"),
        ("136家企業", None, "count"),
        ("6710亿参数", None, "count"),
        ("觀看人數達1.7億", None, "count"),
        ("算力達230 EFLOPS", None, "other"),
        ("算力規模達6.5萬PFlops", None, "other"),
        ("中國企業佔據了約二十席", None, "count"),
        ("5EB的數據", None, "other"),
        ("延遲20毫秒", None, "other"),
        ("全長30公里", None, "other"),
        ("年產1萬噸", None, "other"),
        ("40歲的創辦人", None, "other"),
        ("三個學年", None, "other"),
        ("每秒1京次運算", None, "other"),
    ],
)
def test_each_unit_is_recognised(text, region, unit):
    assert only(text, region).unit == unit


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        # Electricity in 度 (kilowatt hours) and Taiwan's 瓩 (kilowatts), not money.
        ("全年用电量28亿度。", "28亿度", D("2800000000")),
        ("用電量達28億度。", "28億度", D("2800000000")),
        ("裝置容量240萬瓩。", "240萬瓩", D("2400000")),
        ("儲能規模500兆瓦時。", "500兆瓦時", D(500)),
        # P is petaflops where computing power follows.
        ("可提供3000P算力。", "3000P", D(3000)),
        ("配备5000mAh电池。", "5000mAh", D(5000)),
        ("數據產量41.06泽字节。", "41.06泽字节", D("41.06")),
        ("120Hz屏幕。", "120Hz", D(120)),
        ("支持100W快充。", "100W", D(100)),
        ("算力达300P。", "300P", D(300)),
        ("面積約110萬平方呎。", "約110萬平方呎", D(1100000)),
        ("温度为65摄氏度。", "65摄氏度", D(65)),
        ("带宽达16.3 PB/s。", "16.3 PB/s", D("16.3")),
        ("恒指跌235點，", "235點", D(235)),
        ("電力使用效率（PUE）目標低於1.3。", "低於1.3", D("1.3")),
    ],
)
def test_measures_written_the_regions_way_are_other_not_money(text, span, value):
    figure = only(text)
    assert (figure.text, figure.value, figure.unit) == (span, value, "other")


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("年增率-5.1%。", "-5.1%", D("-5.1"), "percent"),
        ("漲跌幅 -4.6%。", "-4.6%", D("-4.6"), "percent"),
        ("年增率－5.1％。", "－5.1％", D("-5.1"), "percent"),
        ("淨利−3.2億元。", "−3.2億元", D("-320000000"), "TWD"),
    ],
)
def test_a_fall_or_a_loss_keeps_its_minus_sign(text, span, value, unit):
    figure = only(text, "tw")
    assert (figure.text, figure.value, figure.unit) == (span, value, unit)


def test_points_named_once_for_two_figures_are_each_percentage_points():
    figures = parse_figures("增速分别高4.7个和1.7个百分点。")
    assert [(f.text, f.unit) for f in figures] == [
        ("4.7个", "percentage_point"),
        ("1.7个百分点", "percentage_point"),
    ]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("出貨1,000櫃。", "1,000櫃", D(1000)),
        ("售出5万副眼镜。", "5万副", D(50000)),
        ("售出500副眼镜。", "500副", D(500)),
        ("賣出3萬雙鞋。", "3萬雙", D(30000)),
        # Counted things named by a noun make a bare magnitude a count, not money.
        ("日均tokens调用量超过10亿。", "超过10亿", D(1_000_000_000)),
    ],
)
def test_things_counted_by_their_classifier_are_counts(text, span, value):
    assert read(text, "cn")[:3] == (span, value, "count")


@pytest.mark.parametrize(
    ("text", "span", "value", "hedge"),
    [
        # Shortened as Hong Kong and Taiwan write them: 兩萬五 is 25,000, 萬五 15,000.
        ("月薪兩萬五。", "兩萬五", D(25000), "exact"),
        ("月薪萬五。", "萬五", D(15000), "exact"),
        ("售價約一萬二。", "約一萬二", D(12000), "about"),
        ("月薪三萬五千。", "三萬五千", D(35000), "exact"),
        ("月薪約萬五至兩萬。", "約萬五至兩萬", D(15000), "range"),
    ],
)
def test_a_shortened_amount_is_read_as_its_magnitude_says(text, span, value, hedge):
    figure = only(text, "hk")
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, "HKD", hedge)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("小米15，256GB版。", ["256GB"]),
        ("位列第17，256家企业入围。", ["256家"]),
        ("新台幣１，９８０億元。", ["新台幣１，９８０億元"]),
    ],
)
def test_a_full_width_comma_groups_thousands_only_between_full_width_digits(text, spans):
    assert [figure.text for figure in parse_figures(text)] == spans


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [
        # 賣超, 買超, 出超: net selling, net buying, a surplus; not "more than".
        ("外資賣超129億元。", "129億元", "exact"),
        ("貿易出超500億美元。", "500億美元", "exact"),
        ("外資賣超逾300億元。", "逾300億元", "more_than"),
        ("公司已投入超过10亿元。", "超过10亿元", "more_than"),
    ],
)
def test_net_selling_and_trade_surpluses_are_not_hedges(text, span, hedge):
    figure = only(text, "tw")
    assert (figure.text, figure.hedge) == (span, hedge)


@pytest.mark.parametrize("text", ["股價一度下跌。", "該片三度入圍。"])
def test_du_after_a_small_numeral_is_not_a_measure(text):
    assert parse_figures(text) == []


@pytest.mark.parametrize(
    ("text", "region", "unit"),
    [
        # The story's place, named in the sentence, over the outlet's region and script.
        ("阿里巴巴宣布未來三年將投入超過3800億元。", "hk", "CNY"),
        ("深圳計劃投入資金不超過100億元。", None, "CNY"),
        ("香港特區政府預留30億元推動人工智能發展。", "cn", "HKD"),
        ("財政司司長宣布撥款30億元。", None, "HKD"),
        ("港鐵去年盈利約80億元。", None, "HKD"),
        ("北部都會區首階段投資約300億元。", None, "HKD"),
        ("國家統計局公布，軟件業收入達13萬億元。", None, "CNY"),
        ("台股成交值達5,000億元。", None, "TWD"),
        ("全港中學可獲最多100萬元資助。", None, "HKD"),
        ("行政院將投入1,000億元發展AI。", "hk", "TWD"),
        ("特首表示，政府會預留200億元。", None, "HKD"),
        ("全國人大代表建議設立100億元基金。", None, "CNY"),
        # The first place named decides, as a sentence's subject comes first.
        ("台積電在中國的營收達500億元。", None, "TWD"),
        ("香港企業去年在內地投資200億元。", None, "HKD"),
        # A name that holds another place's word is that place's: a Taiwanese paper.
        ("據中國時報報導，政府將投入100億元。", None, "TWD"),
        # A currency written out is never overridden.
        ("阿里巴巴在香港募資256億港元。", None, "HKD"),
    ],
)
def test_a_bare_yuan_takes_the_currency_of_the_place_its_sentence_names(text, region, unit):
    money = [figure for figure in parse_figures(text, region=region) if figure.unit != "other"]
    assert [figure.unit for figure in money] == [unit]


def test_the_amounts_of_a_list_take_the_currency_written_after_the_last():
    figures = parse_figures("新加坡、日本與南韓分別投入約7億、18億及30億美元。")

    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("約7億", D(700_000_000), "USD"),
        ("18億", D(1_800_000_000), "USD"),
        ("30億美元", D(3_000_000_000), "USD"),
    ]


def test_a_sentence_naming_no_place_takes_the_region_then_the_place_named_before():
    text = "香港特區政府公布新一份財政預算案。其中撥款30億元支持人工智能。"

    assert only(text).unit == "HKD"
    assert only(text, "tw").unit == "TWD"
    assert only("其中撥款30億元支持人工智能。").unit == "TWD"


@pytest.mark.parametrize(
    ("text", "span", "hedge", "bound"),
    [
        ("该数据中心PUE值低于1.2。", "低于1.2", "less_than", D("1.2")),
        ("數據中心PUE值要求降至1.25以下。", "1.25以下", "less_than", D("1.25")),
        ("新建數據中心PUE不高於1.3。", "不高於1.3", "at_most", D("1.3")),
        ("去年全年平均PUE值為1.08。", "1.08", "exact", None),
    ],
)
def test_a_measured_value_without_a_unit_is_a_figure(text, span, hedge, bound):
    figure = only(text)

    assert (figure.text, figure.unit, figure.hedge) == (span, "other", hedge)
    assert bound in (None, figure.lower, figure.upper)


@pytest.mark.parametrize(
    "text", ["英伟达市值一度突破3万亿美元", "這批設備價值1000，", "該廠產值達3000。"]
)
def test_a_worth_is_not_read_as_a_measured_value(text):
    assert all(figure.unit != "other" for figure in parse_figures(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三成", D(30)),
        ("超過2成", D(20)),
        ("一半", D(50)),
        ("過半", D(50)),
        ("百分之一", D(1)),
        ("百分之三點二", D("3.2")),
        ("1/10", D("0.1")),
        ("3.5倍", D("3.5")),
        ("七成三", D(73)),
        ("三成五", D(35)),
        ("一成半", D(15)),
        ("三成多", D(30)),
    ],
)
def test_shares_and_multipliers_are_normalised(text, value):
    assert only(f"占{text}").value == value


@pytest.mark.parametrize(
    ("text", "span", "hedge", "lower", "upper"),
    [
        ("總額達100億美元", "100億美元", "exact", None, None),
        ("高達100億美元", "100億美元", "exact", None, None),
        ("僅100億美元", "100億美元", "exact", None, None),
        ("約100億美元", "約100億美元", "about", None, None),
        ("约为100亿美元", "约为100亿美元", "about", None, None),
        ("將近100億美元", "將近100億美元", "about", None, None),
        ("接近100億美元", "接近100億美元", "about", None, None),
        ("100億美元左右", "100億美元左右", "about", None, None),
        ("近10倍", "近10倍", "about", None, None),
        ("超過100億美元", "超過100億美元", "more_than", D("10000000000"), None),
        ("超过100亿美元", "超过100亿美元", "more_than", D("10000000000"), None),
        ("超100億美元", "超100億美元", "more_than", D("10000000000"), None),
        ("逾100億美元", "逾100億美元", "more_than", D("10000000000"), None),
        ("突破100億美元", "突破100億美元", "more_than", D("10000000000"), None),
        ("2500多個", "2500多個", "more_than", D(2500), None),
        ("十多位", "十多位", "more_than", D(10), None),
        ("30余个", "30余个", "more_than", D(30), None),
        ("20%以上", "20%以上", "more_than", D(20), None),
        ("過半", "過半", "more_than", D(50), None),
        ("至少16個", "至少16個", "at_least", D(16), None),
        ("不少於200個", "不少於200個", "at_least", D(200), None),
        ("不到兩個月", "不到兩個月", "less_than", None, D(2)),
        ("不足100人", "不足100人", "less_than", None, D(100)),
        ("50人以下", "50人以下", "less_than", None, D(50)),
        ("不超過三年", "不超過三年", "at_most", None, D(3)),
        ("最多100億美元", "最多100億美元", "at_most", None, D("10000000000")),
        ("20毫秒以内", "20毫秒以内", "at_most", None, D(20)),
        ("60萬至70萬顆", "60萬至70萬顆", "range", D(600000), D(700000)),
        ("1200-1700亿元", "1200-1700亿元", "range", D("120000000000"), D("170000000000")),
        ("15%至20%", "15%至20%", "range", D(15), D(20)),
        ("五至六成", "五至六成", "range", D(50), D(60)),
        ("兩到三年", "兩到三年", "range", D(2), D(3)),
        ("約3-5年", "約3-5年", "range", D(3), D(5)),
        ("增長了三倍多", "三倍多", "more_than", D(3), None),
        ("员工超过千人", "超过千人", "more_than", D(1000), None),
        ("增加三成餘", "三成餘", "more_than", D(30), None),
        ("增长百分之三十多", "百分之三十多", "more_than", D(30), None),
        ("給予最高30%的補貼", "最高30%", "at_most", None, D(30)),
        ("月租約1,600港元", "約1,600港元", "about", None, None),
    ],
)
def test_hedges_set_the_bounds_and_touching_words_join_the_span(text, span, hedge, lower, upper):
    figure = only(text, "cn")
    assert (figure.text, figure.hedge, figure.lower, figure.upper) == (span, hedge, lower, upper)


def test_a_range_takes_its_value_from_its_first_end():
    assert only("1200-1700亿元").value == D("120000000000")


def test_a_hedge_set_apart_by_other_words_sets_the_hedge_but_not_the_span():
    figure = only("持股不得超過公司總量的一半")
    assert (figure.text, figure.hedge, figure.upper) == ("一半", "at_most", D(50))


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [
        # 約 in 合約, 簽約, 違約, 續約 is a contract, not "about".
        ("合約期十五年。", "十五年", "exact"),
        ("违约金额为5亿元。", "5亿元", "exact"),
        ("雙方簽約5年。", "5年", "exact"),
        ("双方续约两年。", "两年", "exact"),
        # A hedge's reach ends where the sentence moves on in time.
        ("公司在技术突破后融资5亿元。", "5亿元", "exact"),
        # Where 約 is a word of its own it still hedges, touching or set apart.
        ("雙方簽約金額約10億元。", "約10億元", "about"),
        ("規模約是去年的兩倍。", "兩倍", "about"),
        ("營收突破了1000億元。", "1000億元", "more_than"),
        # 最多 and 最高 bound a number set apart from them only with a verb after them.
        ("每個項目最多可獲相當於費用的70%。", "70%", "at_most"),
        ("最多人使用的3款應用。", "3款", "exact"),
        ("最高人民法院的3名法官。", "3名", "exact"),
    ],
)
def test_a_hedge_word_inside_another_word_hedges_nothing(text, span, hedge):
    figure = only(text)
    assert (figure.text, figure.hedge) == (span, hedge)


@pytest.mark.parametrize(
    "text",
    [
        "2023年",
        "2018-2019年",
        "2022年-2024年",
        "2020—2024年",
        "114年底",
        "115年度",
        "2026 年第 2 季",
        "第3、4季",
        "前三季",
        "前10月",
        "今年上半年",
        "2023/24年度",
        "上午10時",
        "星期三",
        "周三",
        "前一日",
        "上一年",
        "去年",
        "10月24日",
        "2024-10-29",
    ],
)
def test_a_date_is_not_a_figure(text):
    assert parse_figures(f"他在{text}發表演講。", region="tw") == []


@pytest.mark.parametrize(
    "text",
    [
        "第二",
        "第3座",
        "第6位",
        "首位",
        "首批",
        "一期",
        "二期",
        "十四屆",
        "排名前14",
        "前十",
        "top10",
        "頭兩名",
    ],
)
def test_an_ordinal_or_rank_is_not_a_figure(text):
    assert parse_figures(f"該校{text}。") == []


@pytest.mark.parametrize(
    "text",
    [
        "H20",
        "H800",
        "A100",
        "GB300",
        "GPT-4o",
        "o1",
        "DeepSeek-R1",
        "Llama 3",
        "麒麟9000S",
        "Mate 60 Pro",
        "C919",
        "5G",
        "Qwen 2.5-Max",
        "01.AI",
        "K-12",
        "中国制造2025",
        "十四五",
        "AI新十大建設",
        "《2024 年 AI 指数报告》",
        "00981",
        "第50條",
        "[1]",
        "1. 资金投入",
        "一、",
        "千兆用户",
        "萬卡叢集",
        "千兆瓦資料中心",
        "232關稅",
        "232條款調查",
        "台股下午1點半開盤",
        "今年前8个月",
        "千元机",
        "万元户",
        "大湾区9+2城市群",
        "萬一出口管制收緊",
        "三年行动计划",
        "301条款",
        "六小虎",
        "三巨頭",
    ],
)
def test_a_name_or_code_with_digits_is_not_a_figure(text):
    assert parse_figures(f"報告提到{text}的情況") == []


@pytest.mark.parametrize(
    "text",
    [
        "新一份報告",
        "一項研究",
        "一批企業",
        "之一",
        "進一步",
        "一般",
        "一定",
        "這一",
        "一家公司",
        "數年",
        "幾年",
        "多個",
        "數十億",
        "數萬",
        "數百萬元",
        "上千家",
        "十年八載",
        "千家萬戶",
    ],
)
def test_set_phrases_and_vague_quantities_are_not_figures(text):
    assert parse_figures(f"這是{text}的結果") == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("30年", "30年", 30),
        ("兩個月", "兩個月", 2),
        ("三周", "三周", 3),
        ("30天", "30天", 30),
        ("一小時", "一小時", 1),
        ("未來十年", "十年", 10),
        ("兩年半", "兩年半", D("2.5")),
        ("持续了两个半小时", "两个半小时", D("2.5")),
        ("耗時一個半月", "一個半月", D("1.5")),
    ],
)
def test_a_duration_is_other_never_a_year(text, span, value):
    figure = only(f"計畫為期{text}")
    assert (figure.text, figure.value, figure.unit) == (span, D(value), "other")


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2023年，產業規模為1751億元。", (2023, 2023)),
        ("2014年至2024年，美國投資6050億美元。", (2014, 2024)),
        ("2018-2019年，投資共50億美元。", (2018, 2019)),
        ("2023/24年度招收120人。", (2023, 2024)),
        ("113年投入300億元。", (2024, 2024)),
        ("113學年度招收120人。", (2024, 2024)),
        ("2025財年營收為600億美元。", (2025, 2025)),
        ("2025会计年度营收600亿元。", (2025, 2025)),
        ("112年至114年核定128件。", (2023, 2025)),
        ("通過114年預算500億元。", (2025, 2025)),
        ("2024Q4營收500億元。", (2024, 2024)),
        ("FY2025營收500億元。", (2025, 2025)),
        ("114/3/5公布營收300億元。", (2025, 2025)),
        ("2024、2025年營收約900億元。", (2024, 2025)),
        ("2022年、2023年和2024年营收合计55亿元。", (2022, 2024)),
        ("2024年营收为2019年的2.5倍。", (2024, 2024)),
        ("民國114年預算達300億元。", (2025, 2025)),
        ("今年投資50億美元。", (None, None)),
        ("十四五期間新增300 EFLOPS。", (None, None)),
        ("規模達100億美元。", (None, None)),
        ("占總人口的12%（2019年數據）。", (2019, 2019)),
    ],
)
def test_a_year_range_is_a_period_not_a_figure(text, period):
    figure = only(text, "tw")
    assert (figure.period_start, figure.period_end) == period


def test_a_year_holds_across_the_clauses_a_semicolon_joins():
    figures = parse_figures("2024年营收54亿元；净利12亿元。")
    assert [(f.text, f.period_start) for f in figures] == [("54亿元", 2024), ("12亿元", 2024)]


def test_a_republic_of_china_year_is_read_without_a_region_in_traditional_text():
    figure = only("114年營收9,899億元。")
    assert (figure.text, figure.period_start, figure.period_end) == ("9,899億元", 2025, 2025)


def test_a_year_in_another_sentence_is_not_the_period():
    figures = parse_figures("2023年產值創新高。去年投資達50億美元。")
    assert (figures[0].period_start, figures[0].period_end) == (None, None)


def test_a_base_of_comparison_is_not_the_period():
    figure = parse_figures("2024年投資2000億美元，較2023年增長近兩成。")[1]
    assert (figure.text, figure.period_start) == ("近兩成", 2024)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        (
            "據統計，全國超過4,500家企業，規模約6000億元，占全球三成。",
            "据统计，全国超过4,500家企业，规模约6000亿元，占全球三成。",
        ),
        (
            "兩到三年內投入逾千億港元，增長12個百分點。",
            "两到三年内投入逾千亿港元，增长12个百分点。",
        ),
    ],
)
def test_traditional_and_simplified_read_alike(traditional, simplified):
    def essence(text):
        return [
            (f.value, f.unit, f.hedge, f.lower, f.upper) for f in parse_figures(text, region="hk")
        ]

    assert essence(traditional) == essence(simplified)
    assert essence(traditional)


def test_offsets_are_the_span_in_the_text_given():
    text = "據CSET統計，２０１４年至２０２４年美國私人AI投資約６０５０億美元，中國僅860億美元。"
    figures = parse_figures(text)
    assert [f.text for f in figures] == ["約６０５０億美元", "860億美元"]
    assert all(text[f.start : f.end] == f.text for f in figures)
    assert figures[0].value == D("605000000000")
    assert (figures[0].period_start, figures[0].period_end) == (2014, 2024)


def test_figures_come_in_order_and_never_overlap():
    figures = parse_figures("從2020年的51%(225億美元)成長至2022年的53%(270億美元)。")
    assert [f.text for f in figures] == ["51%", "225億美元", "53%", "270億美元"]


def test_units_and_hedges_are_the_documented_names():
    assert UNITS == (
        "USD",
        "CNY",
        "HKD",
        "TWD",
        "EUR",
        "JPY",
        "percent",
        "percentage_point",
        "count",
        "times",
        "nm",
        "other",
    )
    assert HEDGES == ("exact", "about", "more_than", "at_least", "less_than", "at_most", "range")


def test_a_figure_is_frozen():
    figure = only("5家")
    with pytest.raises(AttributeError):
        figure.value = D(6)


@pytest.mark.parametrize(
    ("typed", "value", "unit", "hedge"),
    [
        ("93亿", D("9300000000"), "CNY", "exact"),
        ("6,050億", D("605000000000"), "TWD", "exact"),
        ("1.2兆", D("1200000000000"), "TWD", "exact"),
        ("三成", D(30), "percent", "exact"),
        ("約6050億美元", D("605000000000"), "USD", "about"),
        ("超過2,000多家", D(2000), "count", "more_than"),
        (" 1,234 ", D(1234), "count", "exact"),
    ],
)
def test_a_typed_figure_is_read_whole(typed, value, unit, hedge):
    figure = parse_figure(typed, region="cn" if "亿" in typed else "tw")
    assert (figure.value, figure.unit, figure.hedge) == (value, unit, hedge)
    assert typed[figure.start : figure.end] == figure.text


@pytest.mark.parametrize("typed", ["", "   ", "2023年", "H800", "很多", "5家和6家", "abc"])
def test_a_typed_text_without_one_figure_reads_as_none(typed):
    assert parse_figure(typed) is None


def _labelled_value_scores():
    entries = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    predicted = expected = agreed = 0
    for entry in entries:
        text = entry["text"]
        found = parse_figures(text, region=entry.get("region"))
        labels = entry["figures"] or []
        predicted += len(found)
        expected += len(labels)
        used = set()
        for figure in found:
            for index, label in enumerate(labels):
                start = text.find(label["text"])
                end = start + len(label["text"])
                if index in used or not (figure.start < end and start < figure.end):
                    continue
                used.add(index)
                value = Decimal(label["value"])
                agreed += abs(figure.value - value) <= abs(value) * Decimal("1e-5")
                break
    return agreed / predicted, agreed / expected, len(entries)


def test_the_labelled_set_is_read_with_high_precision_and_recall():
    precision, recall, sentences = _labelled_value_scores()
    assert sentences >= 150
    assert precision >= 0.95
    assert recall >= 0.90


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ud800",
        "\x00\x01\x02",
        "9" * 200_000,
        "萬" * 100_000,
        "1," * 50_000,
        "第" * 10_000,
        "《" * 10_000,
        "約" * 10_000 + "3億",
        "十" * 50_000 + "家",
        "\ud800一萬家\udfff",
    ],
)
def test_hostile_input_returns_without_raising(text):
    figures = parse_figures(text)
    assert all(text[f.start : f.end] == f.text for f in figures)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(NUMBER_LIKE))) | st.text())
def test_any_text_parses_into_ordered_non_overlapping_spans(text):
    figures = parse_figures(text)
    position = 0
    for figure in figures:
        assert position <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text
        assert figure.unit in UNITS and figure.hedge in HEDGES
        position = figure.end


@pytest.mark.parametrize(
    ("text", "region", "span", "value"),
    [
        ("寒武纪 | 11.74亿元 | +65.6% | 92%", "cn", "+65.6%", D("65.6")),
        ("营收增长+65.6%。", "cn", "+65.6%", D("65.6")),
        ("營業利益率為負1.8%。", "tw", "負1.8%", D("-1.8")),
        ("年增率-5.1%。", "tw", "-5.1%", D("-5.1")),
    ],
)
def test_a_written_sign_is_kept_in_the_span_and_a_minus_in_the_value(text, region, span, value):
    figures = [f for f in parse_figures(text, region=region) if f.unit == "percent"]
    assert (figures[0].text, figures[0].value) == (span, value)


@pytest.mark.parametrize(("typed", "value"), [("-5.1%", D("-5.1")), ("+65.6%", D("65.6"))])
def test_a_typed_figure_keeps_its_sign(typed, value):
    figure = parse_figure(typed)
    assert (figure.text, figure.value) == (typed, value)


def test_a_sign_is_not_read_into_a_name_or_a_count():
    assert [f.text for f in parse_figures("GPT-4與C++模型，負債比率30%。")] == ["30%"]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (
            "恒指今日高開137點後反覆向上，收市報26,344點，升412點或1.59%。",
            ["137點", "26,344點", "412點", "1.59%"],
        ),
        ("台股加權指數今天收在27,800點，上漲352點。", ["27,800點", "352點"]),
        ("恒指夜期收報26,120點，較現貨高水45點。", ["26,120點", "45點"]),
        ("恒指阻力位在26,800至27,000點之間。", ["26,800至27,000點"]),
        ("國指 | 9,388點 | +164點", ["9,388點", "+164點"]),
    ],
)
def test_an_index_moves_by_points_named_anywhere_in_its_sentence(text, spans):
    figures = parse_figures(text, region="hk")
    assert [f.text for f in figures] == spans
    assert all(f.unit in ("other", "percent") for f in figures)


def test_a_time_of_day_in_a_sentence_about_an_index_is_not_points():
    assert parse_figures("恒指下午3點後回落，晚上8點公布，3點半收市。", region="hk") == []


@pytest.mark.parametrize(
    ("text", "span", "hedge", "upper"),
    [
        ("每個項目最多獲5億元。", "5億元", "at_most", D("500000000")),
        ("每家最多補助100萬元。", "100萬元", "at_most", D("1000000")),
        ("恒指最多看至3萬點。", "3萬點", "at_most", D(30000)),
        ("每個項目資助上限為5億元。", "5億元", "at_most", D("500000000")),
        ("特別預算上限5,450億元。", "上限5,450億元", "at_most", D("545000000000")),
        ("上限的一半。", "一半", "exact", None),
    ],
)
def test_a_cap_set_apart_from_its_amount_bounds_it(text, span, hedge, upper):
    figure = only(text, "hk")
    assert (figure.text, figure.hedge, figure.upper) == (span, hedge, upper)


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        (
            "2023年和2024年，公司营业收入分别为86.2亿元和112.5亿元，净利润分别为5.1亿元、9.8亿元。",
            [(2023, 2023), (2024, 2024), (2023, 2023), (2024, 2024)],
        ),
        (
            "2022年至2024年，出货量分别为650万架、810万架和880万架。",
            [(2022, 2022), (2023, 2023), (2024, 2024)],
        ),
        (
            "112年至114年營收分別為1兆元、1.2兆元、1.5兆元。",
            [(2023, 2023), (2024, 2024), (2025, 2025)],
        ),
        # Two years and three figures: no year each can be told, the span stays.
        ("2023年和2024年，营收分别为1亿元、2亿元和3亿元。", [(2023, 2024)] * 3),
    ],
)
def test_figures_listed_after_fenbie_take_the_years_listed_in_turn(text, periods):
    figures = parse_figures(text, region="tw" if "兆" in text else "cn")
    assert [(f.period_start, f.period_end) for f in figures] == periods


def test_a_yearly_average_spans_the_years_its_sentence_goes_from_and_to():
    figures = parse_figures(
        "上海人工智能产业规模从2018年的1340亿元增长到2023年的3800亿元，年均增速超过20%。"
    )
    assert [(f.text, f.period_start, f.period_end) for f in figures] == [
        ("1340亿元", 2018, 2018),
        ("3800亿元", 2023, 2023),
        ("超过20%", 2018, 2023),
    ]


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("比114年度的224億元成長42%。", [(2025, 2025), (None, None)]),
        ("2023年，投融资总额为1,500亿元，仅为2021年峰值的一半左右。", [(2023, 2023)] * 2),
        (
            "2025年一季度营收达11.11亿元，超过其2024年全年的九成，净利润3.55亿元。",
            [(2025, 2025)] * 3,
        ),
        ("2024年营收为2019年的2.5倍。", [(2024, 2024)]),
    ],
)
def test_a_base_year_is_the_period_of_its_own_amount_only(text, periods):
    figures = parse_figures(text, region="tw" if "度" in text else "cn")
    assert [(f.period_start, f.period_end) for f in figures] == periods


@pytest.mark.parametrize(
    ("text", "region", "period"),
    [
        ("114年前10月出口總值達5,124.8億美元。", "tw", (2025, 2025)),
        ("2024/25财年营收300亿元。", "cn", (2024, 2025)),
    ],
)
def test_a_year_before_its_first_months_or_a_split_fiscal_year_is_the_period(text, region, period):
    figure = only(text, region)
    assert (figure.period_start, figure.period_end) == period


@pytest.mark.parametrize(
    ("text", "span", "hedge", "lower", "upper"),
    [
        ("兩三個人", "兩三個", "range", D(2), D(3)),
        ("三五家企業", "三五家", "range", D(3), D(5)),
        ("二三十人", "二三十人", "range", D(20), D(30)),
        ("十七八歲", "十七八歲", "range", D(17), D(18)),
        ("三四百萬元", "三四百萬元", "range", D(3000000), D(4000000)),
        ("五六成", "五六成", "range", D(50), D(60)),
        ("交出三、四個模型", "三、四個", "range", D(3), D(4)),
        ("五、六成的人", "五、六成", "range", D(50), D(60)),
    ],
)
def test_neighbouring_numerals_are_a_rough_range(text, span, hedge, lower, upper):
    figure = only(text, "cn")
    assert (figure.text, figure.hedge, figure.lower, figure.upper) == (span, hedge, lower, upper)


@pytest.mark.parametrize(
    "text",
    ["西九一個兩房單位", "五一假期", "进行二次开发", "二次元文化", "三一重工"],
)
def test_numerals_that_name_a_place_a_day_or_a_term_are_not_figures(text):
    assert parse_figures(text, region="hk") == []


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "hedge"),
    [
        ("台灣大哥大斥資新台幣約35億元。", "新台幣約35億元", D("3500000000"), "TWD", "about"),
        ("投資總額超過去十年總和。", "十年", D(10), "other", "exact"),
        ("近三年来研发投入不变。", "三年", D(3), "other", "exact"),
        ("历时近三年。", "近三年", D(3), "other", "about"),
        ("三年内建成。", "三年内", D(3), "other", "at_most"),
        ("7奈米及以下製程。", "7奈米及以下", D(7), "nm", "at_most"),
        ("14奈米及以上製程。", "14奈米及以上", D(14), "nm", "at_least"),
        ("逾半數受訪者反對。", "逾半數", D(50), "percent", "more_than"),
        ("減息0.25厘。", "0.25厘", D("0.25"), "percentage_point", "exact"),
        ("加息25個基點。", "25個基點", D("0.25"), "percentage_point", "exact"),
        ("按揭息率約3.5厘。", "約3.5厘", D("3.5"), "percent", "about"),
        ("恒指已連升5日。", "5日", D(5), "other", "exact"),
        ("連續12個交易日。", "12個交易日", D(12), "other", "exact"),
        ("电能利用效率原则上不高于1.25。", "不高于1.25", D("1.25"), "other", "at_most"),
        ("将形成不低于5000P的智能算力。", "不低于5000P", D(5000), "other", "at_least"),
    ],
)
def test_words_around_a_number_read_as_a_reporter_means_them(text, span, value, unit, hedge):
    figure = only(text, "hk" if "厘" in text or "恒指" in text else None)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [("過半內地企業表示", "過半", "more_than"), ("一半內容相同", "一半", "exact")],
)
def test_within_after_a_share_is_the_next_word(text, span, hedge):
    figure = only(text, "hk")
    assert (figure.text, figure.hedge) == (span, hedge)


@pytest.mark.parametrize("text", ["3家内资企业", "两年内地生产总值", "5厘米长"])
def test_within_and_rate_words_inside_other_words_bound_nothing(text):
    assert all(f.hedge == "exact" for f in parse_figures(text)), parse_figures(text)
    assert all(f.unit != "percentage_point" for f in parse_figures(text))


@pytest.mark.parametrize(
    ("text", "region", "units"),
    [
        ("內地晶片股炒起，中芯（00981）升6.2%，收報72.35元。", "hk", ["percent", "HKD"]),
        ("商湯（00020）升11.4%至2.34元，較招股價人民幣3.85元低。", "hk", ["percent", "HKD", "CNY"]),
        ("阿里巴巴（9988）收報150.3元，騰訊（00700）季度收入1,800億元。", "hk", ["HKD", "CNY"]),
        ("寒武纪（688256）收报600元。", "cn", ["CNY"]),
        ("台積電（2330）收盤價1,085元。", "tw", ["TWD"]),
        ("南部科學園區114年營業額預估突破2.5兆元。", "tw", ["TWD"]),
    ],
)
def test_a_share_price_is_in_its_exchange_currency(text, region, units):
    assert [f.unit for f in parse_figures(text, region=region)] == units


@pytest.mark.parametrize(
    ("text", "region", "spans"),
    [
        ("营收：5亿元；员工：300人", "cn", ["5亿元", "300人"]),
        (
            "• 算力总规模：２３０ EFLOPS\n• 机架总数：８１０万架",
            "cn",
            ["２３０ EFLOPS", "８１０万架"],
        ),
        ("會議於10:30開始，比例為1:10。", "tw", []),
    ],
)
def test_a_value_after_a_label_and_colon_is_read(text, region, spans):
    assert [f.text for f in parse_figures(text, region=region)] == spans


def test_a_line_broken_inside_a_sentence_reads_as_one_line():
    figures = parse_figures("2024年营收同比增长\n25%，亏损4.65亿\n美元。", region="cn")
    assert [(f.text, f.unit, f.period_start) for f in figures] == [
        ("25%", "percent", 2024),
        ("4.65亿\n美元", "USD", 2024),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2024年营收 | 5亿元\n净利 | 1亿元",
        "2024年营收5亿元\n1. 净利1亿元",
        "2024年营收5亿元：\n净利1亿元",
    ],
)
def test_a_line_break_before_a_table_row_a_list_item_or_after_a_label_ends_the_sentence(text):
    assert parse_figures(text, region="cn")[-1].period_start is None


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("该模型支持128K上下文窗口。", "128K", D(128000), "count"),
        ("DeepSeek-V3总参数671B。", "671B", D("671000000000"), "count"),
        ("這款7B小模型可在手機上運行。", "7B", D("7000000000"), "count"),
        ("模型使用約70億參數。", "約70億參數", D("7000000000"), "count"),
        ("融資$1.5B。", "$1.5B", D("1500000000"), "USD"),
        ("用电量可能超过1000太瓦时。", "超过1000太瓦时", D(1000), "other"),
        ("训练仅需278.8万GPU小时。", "278.8万GPU小时", D(2788000), "other"),
        ("芯片面积约为456平方毫米。", "约为456平方毫米", D(456), "other"),
        ("天然气产量2464亿立方米。", "2464亿立方米", D("246400000000"), "other"),
        ("上修1.4百分點。", "1.4百分點", D("1.4"), "percentage_point"),
        ("出生率千分之六点八。", "千分之六点八", D("0.68"), "percent"),
        ("仅占用4GB内存。", "4GB", D(4), "other"),
        ("每日工作八個鐘。", "八個鐘", D(8), "other"),
    ],
)
def test_sizes_measures_and_shares_as_technical_and_official_texts_write_them(
    text, span, value, unit
):
    figure = only(text)
    assert (figure.text, figure.value, figure.unit) == (span, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "華為昇騰910B的性能約為A100的八成。",
        "在单张H100上运行Llama 3 70B模型。",
        "4K屏幕",
        "每百萬個輸入token收費",
        "万元国内生产总值用水量下降",
        "根據104人力銀行資料",
        "他參與了計畫",
    ],
)
def test_names_and_rates_per_unit_are_not_figures(text):
    assert [f for f in parse_figures(text) if f.unit in ("count", "CNY", "TWD")] == []


@pytest.mark.parametrize(
    ("text", "region", "span", "unit", "hedge", "lower", "upper"),
    [
        ("售價由$499至$2,980。", "hk", "$499至$2,980", "HKD", "range", D(499), D(2980)),
        ("售價$3,800。", "hk", "$3,800", "HKD", "exact", None, None),
        ("售价$499。", "cn", "$499", "USD", "exact", None, None),
        ("便宜了500块。", "cn", "500块", "CNY", "exact", None, None),
        ("集成电路产量3,896亿块。", "cn", "3,896亿块", "count", "exact", None, None),
        ("买了2048块H800。", "cn", "2048块", "count", "exact", None, None),
        ("百分之八九十的人", "cn", "百分之八九十", "percent", "range", D(80), D(90)),
        ("投資額不得低於100億元。", "tw", "不得低於100億元", "TWD", "at_least", D("1e10"), None),
        ("約合新台幣 80 億元。", "tw", "約合新台幣 80 億元", "TWD", "about", None, None),
        ("用戶過十萬人。", "hk", "過十萬人", "count", "more_than", D(100000), None),
        ("蝕咗三四十萬蚊。", "hk", "三四十萬蚊", "HKD", "range", D(300000), D(400000)),
        ("我們team十幾個人。", "hk", "十幾個", "count", "more_than", D(10), None),
        ("售價3,999元起。", "tw", "3,999元起", "TWD", "at_least", D(3999), None),
        ("年末60周岁及以上人口", "cn", "60周岁及以上", "other", "at_least", D(60), None),
        ("入息400萬元或以下", "hk", "400萬元或以下", "HKD", "at_most", None, D(4000000)),
        ("約占總預算兩成。", "tw", "兩成", "percent", "about", None, None),
    ],
)
def test_money_ranges_and_bounds_as_each_place_writes_them(
    text, region, span, unit, hedge, lower, upper
):
    figure = only(text, region)
    assert (figure.text, figure.unit, figure.hedge, figure.lower, figure.upper) == (
        span,
        unit,
        hedge,
        lower,
        upper,
    )


@pytest.mark.parametrize("text", ["通過3項法案", "不過10億", "經過3年", "3起事故"])
def test_over_and_from_inside_other_words_bound_nothing(text):
    assert all(f.hedge == "exact" for f in parse_figures(text)), parse_figures(text)


def test_a_split_tax_year_is_the_period():
    figure = only("寬減2024/25課稅年度薪俸稅，上限為1,500元。", "hk")
    assert (figure.period_start, figure.period_end, figure.hedge) == (2024, 2025, "at_most")


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("2025年產能占比將從2023年的約15%提升至25%至30%。", [(2023, 2023), (2025, 2025)]),
        ("從2020年的51%（225億美元）成長至2022年的53%。", [(2020, 2020)] * 2 + [(2022, 2022)]),
        ("從2023年起至今累計投入50億元。", [(2023, 2023)]),
        ("台灣在114年至117年間每年需新增人才約1.5萬人。", [(2025, 2028)]),
        ("預計115年度至119年度投入約新台幣1,500億元。", [(2026, 2030)]),
    ],
)
def test_the_year_a_change_starts_from_is_not_the_year_it_reaches(text, periods):
    figures = parse_figures(text, region="tw")
    assert [(f.period_start, f.period_end) for f in figures] == periods


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("廣達收盤上漲2.5元至298.5元。", ["2.5元", "298.5元"]),
        ("營收增加50億元至300億元。", ["50億元", "300億元"]),
        ("預計增長5%至10%。", ["5%至10%"]),
        ("以52票贊成、51票反對通過。", ["52票", "51票"]),
        ("找不到一位合適的人。", []),
        ("（單位：億元）", []),
        ("114至117年間補助地方政府。", []),
    ],
)
def test_moves_votes_and_table_units_read_as_written(text, spans):
    assert [f.text for f in parse_figures(text, region="tw")] == spans


def test_a_cap_set_apart_by_a_noun_bounds_its_share():
    figure = only("给予不超过合同金额30%的补贴。", "cn")
    assert (figure.text, figure.hedge, figure.upper) == ("30%", "at_most", D(30))
    assert only("就業不足率維持在1.6%。", "hk").hedge == "exact"


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("約為中國大陸93億美元的11.7倍", "tw", "93億美元", D("9300000000"), "USD", "exact"),
        ("營收中大陸1.2兆元", "tw", "1.2兆元", D("1200000000000"), "CNY", "exact"),
        ("支票金額為陸萬元整", "tw", "陸萬元", D(60000), "TWD", "exact"),
        ("預計可滿足約七成本地需求", "tw", "約七成", D(70), "percent", "about"),
        ("訓練費用不到新台幣500萬元", "tw", "不到新台幣500萬元", D(5000000), "TWD", "less_than"),
        ("折合约6300万美元", "cn", "约6300万美元", D(63000000), "USD", "about"),
        ("收入增長將唔少於三成", "hk", "唔少於三成", D(30), "percent", "at_least"),
        ("Kimi日活破千万了", "cn", "破千万", D(10000000), "count", "more_than"),
        ("订单10分钟破万", "cn", "破万", D(10000), "count", "more_than"),
        ("恒指跌破26000點", "hk", "跌破26000點", D(26000), "other", "less_than"),
        ("标准机架数超过880万", "cn", "超过880万", D(8800000), "count", "more_than"),
        ("一个月涨粉30万", "cn", "30万", D(300000), "count", "exact"),
        ("年薪150萬起跳", "tw", "150萬起跳", D(1500000), "TWD", "at_least"),
        ("投資30億以上", "tw", "30億以上", D(3000000000), "TWD", "more_than"),
        ("二期扩容后算力达到400P", "cn", "400P", D(400), "other", "exact"),
        ("新增智算能力不少于5000P", "cn", "不少于5000P", D(5000), "other", "at_least"),
        ("補助全國不少於60所大學", "tw", "不少於60所", D(60), "count", "at_least"),
        ("每年至少需要投入20亿元", "cn", "20亿元", D(2000000000), "CNY", "at_least"),
        ("最多可達新台幣10萬元", "tw", "新台幣10萬元", D(100000), "TWD", "at_most"),
        ("最多可獲資助算力費用嘅七成", "hk", "七成", D(70), "percent", "at_most"),
    ],
)
def test_words_around_a_number_as_each_region_writes_them(text, region, span, value, unit, hedge):
    figures = parse_figures(text, region=region)
    found = [(f.text, f.value, f.unit, f.hedge) for f in figures if f.text == span]
    assert found == [(span, value, unit, hedge)], figures


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("陸續投入3億元", ["3億元"]),
        ("打破5項紀錄", ["5項"]),
        ("仍低於過去5年平均的20倍", ["5年", "20倍"]),
    ],
)
def test_words_that_look_like_numerals_or_hedges_inside_other_words(text, spans):
    figures = parse_figures(text, region="tw")
    assert [(f.text, f.hedge) for f in figures] == [(span, "exact") for span in spans]


@pytest.mark.parametrize(
    ("text", "region", "units"),
    [
        ("股價方面，商湯今日收報1.72元，升9.6%。", "hk", ["HKD", "percent"]),
        ("港股方面，騰訊收報612.5元。", None, ["HKD"]),
        ("騰訊收報612.5元。", None, ["CNY"]),
    ],
)
def test_a_share_price_without_a_code_trades_where_the_story_is(text, region, units):
    assert [f.unit for f in parse_figures(text, region=region)] == units


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("自114學年度起至117學年度止，4年將投入逾新台幣100億元。", [(2025, 2028)] * 2),
        (
            "小米2024年研發支出241億元，計劃未來五年投入超過1050億元。",
            [(2024, 2024), (None, None), (None, None)],
        ),
        ("公司過去三年累計虧損超過50億元，員工約1000人。", [(None, None)] * 3),
    ],
)
def test_years_counted_from_now_and_spans_of_school_years(text, periods):
    figures = parse_figures(text, region="tw")
    assert [(f.period_start, f.period_end) for f in figures] == periods


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "hedge"),
    [
        ("履約期限自決標日起180日曆天", "180日曆天", D(180), "other", "exact"),
        ("工期不超过240日历天", "不超过240日历天", D(240), "other", "at_most"),
        ("测试集包含5 000道题目", "5 000道", D(5000), "count", "exact"),
        ("商機達US$1tn以上", "US$1tn以上", D(10**12), "USD", "more_than"),
        ("該晶片整合約800億個電晶體", "約800億個", D(80000000000), "count", "about"),
        ("合約為期四年", "四年", D(4), "other", "exact"),
        ("采购加速卡1,000块", "1,000块", D(1000), "count", "exact"),
        ("一张卡大概8万块", "大概8万块", D(80000), "CNY", "about"),
        ("检测帧率达到30帧/秒", "30帧/秒", D(30), "other", "exact"),
    ],
)
def test_terms_of_tenders_papers_and_wire_copy(text, span, value, unit, hedge):
    figure = only(text, "cn" if "块" in text else None)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("B轮融了3个亿", "cn", "3个亿", D(300000000), "CNY", "exact"),
        ("光算力就要一个多亿", "cn", "一个多亿", D(100000000), "CNY", "more_than"),
        ("恒指上午收報26,758點", "hk", "26,758點", D(26758), "other", "exact"),
        ("小米集團（01810）成交逾120億元", "hk", "逾120億元", D(12000000000), "HKD", "more_than"),
        ("商湯市值蒸發約70億元", "hk", "約70億元", D(7000000000), "HKD", "about"),
        ("单个客户的年付费在两三百万", "cn", "两三百万", D(2000000), "CNY", "range"),
        ("印发后30日内制定", "cn", "30日内", D(30), "other", "at_most"),
        ("逾10億坡元", "hk", "逾10億坡元", D(1000000000), "other", "more_than"),
        ("交付周期要拖半年以上", "cn", "半年以上", D("0.5"), "other", "more_than"),
        ("半年内完成", "cn", "半年内", D("0.5"), "other", "at_most"),
    ],
)
def test_amounts_as_people_say_them_and_markets_quote_them(text, region, span, value, unit, hedge):
    figure = only(text, region)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize(
    "text",
    ["省委十五届五次全会召开", "市场规模（亿元）", "今年上半年", "公司发布半年报", "下午3點後收市"],
)
def test_sessions_table_units_and_halves_of_a_year_are_not_figures(text):
    assert parse_figures(text, region="cn") == []


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("2024年2月投资超10亿美元；同年8月又跟投约3亿美元。", [(2024, 2024), (2024, 2024)]),
        ("2020年成立，次年營收5億元。", [(2021, 2021)]),
        ("公司2024年營收約7,000萬美元。其當年研發投入5億美元。", [(2024, 2024), (None, None)]),
    ],
)
def test_the_same_year_and_the_next_are_told_from_the_year_the_sentence_names(text, periods):
    figures = parse_figures(text, region="tw")
    assert [(f.period_start, f.period_end) for f in figures] == periods


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("總計算量約為3.8×10^25 FLOPs。", "約為3.8×10^25 FLOPs", D("3.8E25")),
        ("訓練算力超過10^25 FLOPs的模型須申報。", "超過10^25 FLOPs", D("1E25")),
    ],
)
def test_compute_written_as_a_power_of_ten(text, span, value):
    figure = only(text, "tw")
    assert (figure.text, figure.value, figure.unit) == (span, value, "other")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (
            "处一万元以上十万元以下罚款。",
            [("一万元以上", "more_than"), ("十万元以下", "less_than")],
        ),
        ("至少还有一年半，最多两年。", [("一年半", "at_least"), ("最多两年", "at_most")]),
        ("训练一个千亿参数的大模型", [("千亿参数", "exact")]),
        ("训练一个千亿参数级模型", []),
        ("共9章64条", [("9章", "exact"), ("64条", "exact")]),
        ("跟我算过一笔账，看过一次。", []),
        ("未超过超募资金总额的30%", [("30%", "at_most")]),
        ("总规模不应少于10000个", [("不应少于10000个", "at_least")]),
        ("最高可被判罰款100萬港元", [("100萬港元", "at_most")]),
        ("最高罰款500萬元", [("500萬元", "at_most")]),
        ("最高法院的3名法官", [("3名", "exact")]),
    ],
)
def test_bands_caps_and_negations_of_laws_and_filings(text, spans):
    assert [(f.text, f.hedge) for f in parse_figures(text, region="cn")] == spans


def test_a_bare_magnitude_of_graduates_is_a_count():
    assert only("每年STEM毕业生大约五百万", "cn").unit == "count"


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("其中不少於三成為海外企業", "hk", "不少於三成", D(30), "percent", "at_least"),
        ("公司有六成員工用AI", "hk", "六成", D(60), "percent", "exact"),
        ("佢月薪28K", "hk", "28K", D(28000), "HKD", "exact"),
        ("月薪開價60K以上好平常", "hk", "60K以上", D(60000), "HKD", "more_than"),
        ("指數在22,000點整數關卡前震盪", "tw", "22,000點", D(22000), "other", "exact"),
        ("訓練運算量超過10²⁶次運算", "tw", "超過10²⁶次", D("1E26"), "other", "more_than"),
    ],
)
def test_shares_pay_index_points_and_powers_as_reporters_write_them(
    text, region, span, value, unit, hedge
):
    figure = only(text, region)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize("text", ["加權指數已站回季線與半年線之上", "公司將成為全球第一"])
def test_a_moving_average_and_becoming_are_not_figures(text):
    assert parse_figures(text, region="tw") == []


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "hedge"),
    [
        ("市場估計損失約55億美元", "約55億美元", D(5500000000), "USD", "about"),
        ("该模型以1287分位列第三", "1287分", D(1287), "other", "exact"),
        ("总分83分", "83分", D(83), "other", "exact"),
        ("国发基金已核准投资AI新创共23案", "23案", D(23), "count", "exact"),
        ("人才缺口达500万", "500万", D(5000000), "count", "exact"),
    ],
)
def test_losses_scores_cases_and_talent_as_reporters_count_them(text, span, value, unit, hedge):
    figure = only(text, "cn")
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("推理时延降低至50毫秒以内", "cn", "50毫秒以内", D(50), "other", "at_most"),
        ("单卡功耗降低至300瓦", "cn", "300瓦", D(300), "other", "exact"),
        ("價格低至9.9元", "tw", "低至9.9元", D("9.9"), "TWD", "at_least"),
        ("5G網絡已覆蓋超過九成九人口", "hk", "超過九成九", D(99), "percent", "more_than"),
        ("付費用戶逾百萬", "hk", "逾百萬", D(1000000), "count", "more_than"),
        ("用戶付費逾百萬", "hk", "逾百萬", D(1000000), "HKD", "more_than"),
        ("明年出貨量估年增50%至60%", "tw", "50%至60%", D(50), "percent", "range"),
        ("约占销售收入的两成以上", "cn", "两成以上", D(20), "percent", "more_than"),
        ("同比增长一倍有余", "cn", "一倍有余", D(1), "times", "more_than"),
    ],
)
def test_changes_rates_and_hedges_as_the_words_nearest_the_number_give_them(
    text, region, span, value, unit, hedge
):
    figure = only(text, region)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (span, value, unit, hedge)


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("容量將由目前約650兆瓦增至2030年的1.1吉瓦。", [(None, None), (2030, 2030)]),
        ("算力将由目前的280EFLOPS提升至2027年的450EFLOPS。", [(None, None), (2027, 2027)]),
        ("2奈米預計115年量產。", [(2026, 2026)]),
    ],
)
def test_the_level_a_change_starts_from_takes_not_the_year_it_reaches(text, periods):
    figures = parse_figures(text, region="tw")
    assert [(f.period_start, f.period_end) for f in figures] == periods


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("十四届全国人大三次会议在北京开幕。", []),
        ("中共二十屆四次全會將於10月召開。", []),
        ("董事会今年召开了三次会议。", ["三次"]),
    ],
)
def test_a_numbered_congress_s_session_is_no_count(text, spans):
    assert [f.text for f in parse_figures(text, region="cn")] == spans


@pytest.mark.parametrize(
    ("text", "region", "periods"),
    [
        # A comparative's year in brackets is the bracket's own figure's.
        ("中期股息每股0.35港元（2024年同期：每股0.30港元）。", "hk", [None, 2024]),
        (
            "每股盈利人民幣0.82元（2024年：人民幣0.67元），末期股息每股港幣0.25元。",
            "hk",
            [None, 2024, None],
        ),
        ("員工總數約為三萬八千人（2024年12月31日：約四萬一千人）。", "hk", [None, 2024]),
        ("占了總人口的12%（2019年數據），然而僅占了0.1%。", "cn", [2019, None]),
        ("規模達1751億元（2023年）", "cn", [2023]),
        # 113年來臺: the year's visitors came to Taiwan, not 113 years since.
        ("113年來臺旅客達785萬人次，較112年成長近三成。", "tw", [2024, 2024]),
    ],
)
def test_brackets_and_roc_years_give_each_figure_its_own_year(text, region, periods):
    assert [f.period_start for f in parse_figures(text, region=region)] == periods


@pytest.mark.parametrize(
    ("text", "region", "spans"),
    [
        ("截至2025年6月30日止六個月，收益約為人民幣186.4億元。", "hk", ["約為人民幣186.4億元"]),
        ("培育5個以上萬億元級產業集群", "cn", ["5個以上"]),
        ("办公地址：世纪大道100号58层。", "cn", []),
        ("大楼共58层", "cn", ["58层"]),
    ],
)
def test_reporting_periods_size_classes_and_addresses_are_not_figures(text, region, spans):
    assert [f.text for f in parse_figures(text, region=region)] == spans


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("首批推出168伙", "hk", "168伙", D(168), "count", "exact"),
        ("共加開52班次", "tw", "52班次", D(52), "count", "exact"),
        ("航班起降約16.2萬架次", "hk", "約16.2萬架次", D(162000), "count", "about"),
        ("能量密度达190Wh/kg", "cn", "190Wh/kg", D(190), "other", "exact"),
        ("吞吐可达2000 token/秒", "cn", "2000 token/秒", D(2000), "other", "exact"),
        ("每秒可執行35兆次運算", "tw", "35兆次", D(35 * 10**12), "other", "exact"),
        ("最優惠利率或下調至5.25厘", "hk", "5.25厘", D("5.25"), "percent", "exact"),
        ("補助比率不超過計畫總經費百分之五十", "tw", "百分之五十", D(50), "percent", "at_most"),
        ("淨利潤則按年下跌51%至62億元", "hk", "62億元", D(6200000000), "HKD", "exact"),
        ("京東淨利潤則按年下跌51%至62億元", "hk", "62億元", D(6200000000), "CNY", "exact"),
        ("比亞迪股份（01211）股價較高位回落逾100元", "hk", "逾100元", D(100), "HKD", "more_than"),
    ],
)
def test_units_rates_and_caps_of_filings_and_specifications(text, region, span, value, unit, hedge):
    figure = [f for f in parse_figures(text, region=region) if f.text == span][0]
    assert (figure.value, figure.unit, figure.hedge) == (value, unit, hedge)


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "unit", "hedge"),
    [
        ("天文台錄得最高氣溫35.2度", "hk", "35.2度", D("35.2"), "other", "exact"),
        ("成個九龍東有過百幢甲級寫字樓", "hk", "過百幢", D(100), "count", "more_than"),
        ("每天卖个两三百杯", "cn", "两三百杯", D(200), "count", "range"),
        ("创业板指站上2200点", "cn", "2200点", D(2200), "other", "exact"),
        ("单条成本压到50块以内", "cn", "50块以内", D(50), "CNY", "at_most"),
        ("夏天的話大概三四千塊吧", "tw", "大概三四千塊", D(3000), "TWD", "range"),
        ("GitHub上星标数已超过5万", "cn", "超过5万", D(50000), "count", "more_than"),
        ("較上個交易日少咗兩成幾", "hk", "兩成幾", D(20), "percent", "more_than"),
        (
            "吞吐量只有A100的三分之一到二分之一",
            "cn",
            "三分之一到二分之一",
            D(1) / 3,
            "times",
            "range",
        ),
    ],
)
def test_spoken_numbers_tallies_and_ranges_of_shares(text, region, span, value, unit, hedge):
    figure = only(text, region)
    assert (figure.text, figure.unit, figure.hedge) == (span, unit, hedge)
    assert abs(figure.value - value) < D("1e-9")


def test_a_school_year_of_the_republic_is_a_period_whatever_follows_it():
    figures = parse_figures("113學年大學新生註冊率僅約八成。修業年限為4學年。", region="tw")
    assert [(f.text, f.period_start) for f in figures] == [("約八成", 2024), ("4學年", None)]


@pytest.mark.parametrize(
    ("text", "region", "spans"),
    [
        ("该模型总分为70.3分，与第一名相差不到2分。", "cn", ["70.3分", "不到2分"]),
        ("可將PUE由1.6降至1.25", "tw", ["1.6", "1.25"]),
        ("PUE从1.5降至1.2以下", "cn", ["1.5", "1.2以下"]),
        ("營收由100億元降至80億元", "tw", ["100億元", "80億元"]),
    ],
)
def test_score_gaps_and_a_measured_value_s_change_are_read(text, region, spans):
    assert [f.text for f in parse_figures(text, region=region)] == spans


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("阿里巴巴（9988）股價升至每股180元，市值重上3.4萬億元。", "HKD"),
        ("騰訊市值重上5萬億元。", "HKD"),
        ("騰訊公布收入1,800億元。", "CNY"),
    ],
)
def test_a_hong_kong_listing_s_market_value_is_in_hong_kong_dollars(text, unit):
    assert parse_figures(text, region="hk")[-1].unit == unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [("未來5年", True), ("三年內", True), ("半年以上", True), ("30日內", True), ("130公里", False)],
)
def test_a_stretch_of_time_is_told_by_its_duration_unit(text, expected):
    from claims.figures import is_length_of_time

    assert is_length_of_time(parse_figures(text, region="tw")[0]) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10萬", False),
        ("約30億", False),
        ("10萬至20萬", False),
        ("1,234", False),
        ("兩千", False),
        ("10萬元", True),
        ("新台幣10萬", True),
        ("US$100", True),
        ("10萬蚊", True),
        ("10萬名", True),
        ("三成", True),
    ],
)
def test_a_unit_taken_for_want_of_one_is_told_from_one_written(text, expected):
    from claims.figures import writes_its_unit

    assert writes_its_unit(parse_figure(text, region="tw")) is expected


@pytest.mark.parametrize(
    ("text", "spans"),
    [("工程師月薪6萬根本買不起", [("6萬", "TWD")]), ("6萬根據統計", [("6萬", "TWD")])],
)
def test_gen_before_a_word_it_begins_counts_nothing(text, spans):
    assert [(f.text, f.unit) for f in parse_figures(text, region="tw")] == spans


@pytest.mark.parametrize(
    "text",
    ["中科院投入5亿元。", "南科大获资助3亿元。", "全国一般公共预算支出中科学技术支出8437亿元。"],
)
def test_a_park_name_inside_a_mainland_word_does_not_place_the_story_in_taiwan(text):
    assert [f.unit for f in parse_figures(text, region="cn")] == ["CNY"]


def test_taiwans_parks_still_place_a_story_in_taiwan():
    assert [f.unit for f in parse_figures("中科擴建案投入500億元。", region="cn")] == ["TWD"]


def test_a_memory_chips_capacity_in_gigabits_is_a_measure():
    figures = parse_figures("DDR5颗粒容量为16Gb和24Gb两种，带宽达1.2Tb/s。", region="cn")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("16Gb", D(16), "other"),
        ("24Gb", D(24), "other"),
        ("两种", D(2), "count"),
        ("1.2Tb/s", D("1.2"), "other"),
    ]


def test_a_range_of_years_from_one_after_you_is_a_range():
    figure = only("這一波行情大概還有一到兩年。", "tw")
    assert (figure.text, figure.hedge, figure.lower, figure.upper) == ("一到兩年", "range", 1, 2)
    assert parse_figures("有一年虧損。", region="tw") == []


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [
        ("新建大型数据中心PUE普遍控制在1.25以内。", "1.25以内", "at_most"),
        ("2024年台灣總生育率降至0.87。", "0.87", "exact"),
        ("香港的堅尼系數為0.539。", "0.539", "exact"),
    ],
)
def test_a_rate_or_coefficient_without_a_unit_is_a_measured_value(text, span, hedge):
    figure = only(text)
    assert (figure.text, figure.unit, figure.hedge) == (span, "other", hedge)


@pytest.mark.parametrize(
    ("text", "span", "lower", "upper"),
    [
        ("一台服务器现在要一百二三十万，", "一百二三十万", D(1200000), D(1300000)),
        ("全校三千五六百人", "三千五六百人", D(3500), D(3600)),
    ],
)
def test_neighbouring_numerals_after_the_hundreds_they_add_to_are_a_rough_range(
    text, span, lower, upper
):
    figure = only(text, "cn")
    assert (figure.text, figure.hedge, figure.lower, figure.upper) == (span, "range", lower, upper)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("做AI engineer起薪都要3萬5，", "3萬5", D(35000)),
        ("月薪2萬8元。", "2萬8元", D(28000)),
        ("人均4萬4,181元。", "4萬4,181元", D(44181)),
    ],
)
def test_one_digit_typed_after_a_magnitude_shortens_it(text, span, value):
    figure = only(text, "hk")
    assert (figure.text, figure.value, figure.unit) == (span, value, "HKD")


def test_a_list_after_fenbie_ends_where_a_figure_of_another_unit_follows_its_comma():
    figures = parse_figures(
        "2022年至2024年公司营收分别为0.46亿元、1.24亿元和4.38亿元，三年累计亏损约50亿元。",
        region="cn",
    )
    assert [(f.text, f.period_start, f.period_end) for f in figures][:3] == [
        ("0.46亿元", 2022, 2022),
        ("1.24亿元", 2023, 2023),
        ("4.38亿元", 2024, 2024),
    ]


def test_the_level_a_change_starts_from_is_not_of_the_year_it_reaches():
    figures = parse_figures("政府目標在2030年把研發開支比率由0.99%提高至1.5%。", region="hk")
    assert [(f.text, f.period_start) for f in figures] == [("0.99%", None), ("1.5%", 2030)]


@pytest.mark.parametrize(
    ("text", "region", "span", "value"),
    [
        ("利润少了差不多一半。", "cn", "差不多一半", D(50)),
        ("呎價差唔多1.9萬，", "hk", "差唔多1.9萬", D(19000)),
    ],
)
def test_near_enough_in_mandarin_and_cantonese_is_about(text, region, span, value):
    figure = only(text, region)
    assert (figure.text, figure.value, figure.hedge) == (span, value, "about")


def test_rent_before_a_latin_magnitude_makes_it_money():
    figures = parse_figures("月薪8k，房租就要2.5k，", region="cn")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("8k", D(8000), "CNY"),
        ("2.5k", D(2500), "CNY"),
    ]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [("车长5056mm。", "5056mm", D(5056)), ("身高175cm，", "175cm", D(175))],
)
def test_lengths_in_millimetres_and_centimetres_are_measures(text, span, value):
    assert read(text, "cn") == (span, value, "other", "exact", None, None)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("共有35校註冊率未達60%。", ["35校", "未達60%"]),
        ("2025校招開跑，全台12校區同步面試。", []),
    ],
)
def test_schools_counted_after_digits_are_a_count_but_not_campuses(text, spans):
    figures = parse_figures(text, region="tw")
    assert [f.text for f in figures] == spans
    assert all(f.unit in ("count", "percent") for f in figures)


@pytest.mark.parametrize(
    ("text", "value"),
    [("港燈業績：客戶數目59.8萬", D(598000)), ("證券開戶數逾120萬，", D(1200000))],
)
def test_a_bare_magnitude_after_a_number_of_clients_or_accounts_is_a_count(text, value):
    figure = only(text, "hk")
    assert (figure.value, figure.unit) == (value, "count")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("綜合判斷分數為38分，較上月增加4分，燈號轉呈紅燈。", ["38分", "4分"]),
        ("违规一次扣3分。", ["3分"]),
        ("指數下降至9時30分。", []),
    ],
)
def test_a_score_moved_by_some_points_is_read_but_not_a_time_s_minutes(text, spans):
    figures = parse_figures(text, region="tw")
    assert [(f.text, f.unit) for f in figures] == [(span, "other") for span in spans]


@pytest.mark.parametrize(
    ("text", "span", "hedge"),
    [
        ("綜援額外發放半個月，", "半個月", "exact"),
        ("排隊等了半小時。", "半小時", "exact"),
        ("近半個月股價累跌。", "近半個月", "about"),
    ],
)
def test_half_a_month_or_an_hour_is_a_length_of_time(text, span, hedge):
    assert read(text, "hk") == (span, D("0.5"), "other", hedge, None, None)


@pytest.mark.parametrize("text", ["上半個月出口回落。", "半個月前已公布。", "過半員工加薪。"])
def test_a_half_that_names_a_period_a_day_or_a_share_is_no_length_of_time(text):
    assert all(f.unit != "other" for f in parse_figures(text, region="hk"))


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("排咗成個半鐘先入到場。", "個半鐘", D("1.5")),
        ("等咗個半月都未有回覆。", "個半月", D("1.5")),
        ("開會開咗兩個半鐘。", "兩個半鐘", D("2.5")),
    ],
)
def test_hong_kong_s_hour_and_a_half_said_without_the_one_is_a_length_of_time(text, span, value):
    assert read(text, "hk") == (span, value, "other", "exact", None, None)


def test_this_half_hour_is_no_hour_and_a_half():
    assert parse_figures("呢個半鐘最緊要。", region="hk") == []


def test_doses_of_a_vaccine_are_counted_not_a_bare_amount_of_money():
    figures = parse_figures("今年流感疫苗已接種逾600萬劑，仍有約120萬劑庫存。", region="tw")
    assert [(f.text, f.value, f.unit, f.hedge) for f in figures] == [
        ("逾600萬劑", D(6000000), "count", "more_than"),
        ("約120萬劑", D(1200000), "count", "about"),
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("外幣逾等值1萬美元亦同。", "1萬美元"),
        ("攜帶超過等值新台幣50萬元須申報。", "新台幣50萬元"),
    ],
)
def test_a_hedge_before_the_equivalent_of_an_amount_bounds_it(text, span):
    figure = only(text, "tw")
    assert (figure.text, figure.hedge, figure.lower) == (span, "more_than", figure.value)


def test_hong_kong_s_square_feet_written_fang_chek_are_an_area():
    figures = parse_figures("每呎3.8萬元成交，實用面積1,205方呎。", region="hk")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("3.8萬元", D(38000), "HKD"),
        ("1,205方呎", D(1205), "other"),
    ]


def test_hospital_beds_are_counted_not_a_bare_amount_of_money():
    figure = only("全台醫院病床數約17.4萬床。", region="tw")
    assert (figure.text, figure.value, figure.unit) == ("約17.4萬床", D(174000), "count")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("進口403.6億美元；出超214.5億美元。", "214.5億美元"),
        ("累計前10月出超1,200億美元。", "1,200億美元"),
    ],
)
def test_a_trade_surplus_written_chu_chao_is_no_more_than(text, span):
    figure = parse_figures(text, region="tw")[-1]
    assert (figure.text, figure.hedge) == (span, "exact")


def test_over_after_spending_still_bounds_the_amount():
    figure = only("全年支出超過100億元。", region="tw")
    assert (figure.text, figure.hedge) == ("超過100億元", "more_than")


def test_a_phone_plan_s_contract_term_is_no_about():
    figures = parse_figures("5G方案月租999元，綁約30個月。", region="tw")
    assert [(f.text, f.hedge) for f in figures] == [("999元", "exact"), ("30個月", "exact")]


def test_a_hedge_word_inside_a_rate_s_name_bounds_nothing():
    figure = only("就業不足率為1.6%。", region="hk")
    assert (figure.text, figure.hedge, figure.upper) == ("1.6%", "exact", None)


def test_days_in_all_before_ri_are_a_length_of_time():
    figures = parse_figures("外資累計5日賣超逾千億元。", region="tw")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("5日", D(5), "other"),
        ("逾千億元", D(100000000000), "TWD"),
    ]


def test_a_battery_plant_s_power_and_energy_are_two_measures():
    figures = parse_figures("某儲能案場建置容量100MW/400MWh。", region="tw")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("100MW", D(100), "other"),
        ("400MWh", D(400), "other"),
    ]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("每年可處理 1 億 2 千萬人次旅客。", "1 億 2 千萬人次", D(120000000), "count"),
        ("全年收入 2 億 3 千萬元。", "2 億 3 千萬元", D(230000000), "HKD"),
    ],
)
def test_a_number_spaced_between_its_groups_is_read_whole(text, span, value, unit):
    assert read(text, "hk") == (span, value, unit, "exact", None, None)


def test_a_year_after_a_spaced_magnitude_is_no_part_of_it():
    assert [f.text for f in parse_figures("營收5億 2024年再增長。", region="hk")] == ["5億"]


@pytest.mark.parametrize(
    ("text", "region", "span", "value", "hedge"),
    [
        ("毛利率同比提升半个百分点。", "cn", "半个百分点", D("0.5"), "exact"),
        ("經濟成長率預測上修一個半百分點。", "tw", "一個半百分點", D("1.5"), "exact"),
        ("利率下調近半個百分點。", "hk", "近半個百分點", D("0.5"), "about"),
    ],
)
def test_half_a_percentage_point_is_read_with_or_without_a_number(text, region, span, value, hedge):
    figure = only(text, region)
    assert (figure.text, figure.value, figure.unit, figure.hedge) == (
        span,
        value,
        "percentage_point",
        hedge,
    )


def test_a_share_in_tenths_written_in_digits_adds_its_last_digit():
    assert read("調查指出，4成8受訪者每天使用AI。", "tw") == (
        "4成8",
        D(48),
        "percent",
        "exact",
        None,
        None,
    )
    assert [f.text for f in parse_figures("占3成5000人中。", region="tw")] == ["3成", "5000人"]


def test_a_range_of_counts_may_begin_at_one():
    assert read("受訪者每週使用一到兩次。", "tw") == (
        "一到兩次",
        D(1),
        "count",
        "range",
        D(1),
        D(2),
    )


@pytest.mark.parametrize(
    ("text", "span", "value", "hedge"),
    [
        ("當中約三分一來自內地。", "約三分一", D(1) / D(3), "about"),
        ("四分三嘅市民支持。", "四分三", D("0.75"), "exact"),
    ],
)
def test_hong_kong_s_fraction_without_zhi_is_a_fraction(text, span, value, hedge):
    assert read(text, "hk") == (span, value, "times", hedge, None, None)


@pytest.mark.parametrize("text", ["服務十分一般。", "八點五分一起出發。"])
def test_fen_between_numerals_in_other_words_is_no_fraction(text):
    assert parse_figures(text, region="hk") == []
