"""Find the quantities a Chinese news text states, read by the rules of FIGURES.md.

`parse_figures` returns every figure of a text (money, counts, shares, percentage points,
multipliers, process nodes, durations and other measures) with its span, value, unit, hedge,
bounds and period; `parse_figure` reads the single figure a person types into a form.

cn2an converts an isolated Chinese numeral ("五百六十萬", "兩萬五", "三點二") and is used for
exactly that. Everything around it is written here because cn2an does not do it: finding
numbers in running text and telling them from years, dates, ordinals, names and set phrases;
mixed Arabic and Chinese forms (4萬4,181, 417億8,160萬7千, 1.2兆), which cn2an refuses; 兆 and 京,
which it does not know; bare magnitudes (千家, 萬); units, currencies, hedges, ranges and
periods. The module is pure: no database and no Django, so forms and models can import it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

UNITS = (
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
HEDGES = ("exact", "about", "more_than", "at_least", "less_than", "at_most", "range")
REGIONS = ("cn", "tw", "hk", "other")


@dataclass(frozen=True, slots=True)
class ParsedFigure:
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    hedge: str
    lower: Decimal | None
    upper: Decimal | None
    period_start: int | None
    period_end: int | None


# Full-width digits, letters and signs become their ASCII forms one character for one, so
# offsets in the normalised text are offsets in the text given.
_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
_FULL_WIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FULL_WIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FULL_WIDTH.update(
    {
        ord(a): ord(b)
        for a, b in zip(
            "．％﹪－−～〜＄／：（）＋\u3000\u00a0\u2009\u202f＃＠＿",
            ".%%--~~$/:()+    #@_",
            strict=True,
        )
    }
)

# A full-width comma separates thousands only between full-width digits (１，９８０億元);
# between others it ends a clause (小米15，256GB版).
_FULL_WIDTH_GROUPING = re.compile("(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")


def _normalised(text: str) -> str:
    """Return `text` with full-width digits and signs as ASCII, each character in its place,
    and a line broken inside a sentence joined by a space."""
    norm = _FULL_WIDTH_GROUPING.sub(",", text).translate(_FULL_WIDTH)
    if "\n" in norm:
        norm = _SOFT_BREAK.sub(_soft_break, norm)
    return norm


# A line break inside a sentence, as text copied from a PDF or a web page has them
# (同比增长\n25%, 亏损4.65亿\n美元): not after a sentence's or a label's end, nor before a
# list's item, a new paragraph or a table's row.
_SOFT_BREAK = re.compile(
    r"(?<=[^\s。！？!?；;:」』”\"|])\n(?=[^\s•·●▪◆■*#>|(（【\[①-⑳-])"
    r"(?![0-9一二三四五六七八九十]{1,2}[.、)）])"
)


def _soft_break(match: re.Match) -> str:
    """Join the lines a break inside a sentence parts with a space, unless a line is a
    table's row (cells parted by | or tabs), whose end ends the row."""
    text, at = match.string, match.start()
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at + 1)
    lines = text[line_start : len(text) if line_end < 0 else line_end]
    return "\n" if "|" in lines or "\t" in lines else " "


_CN_DIGITS = "零〇○一二两兩倆三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖"
_CN_SMALL = "十拾百佰千仟"
_CN_MAGS = "万萬亿億兆京"
_CN = _CN_DIGITS + _CN_SMALL + _CN_MAGS
_DIGIT_VALUES = {
    c: v
    for v, cs in enumerate(
        (
            "零〇○",
            "一壹",
            "二两兩倆贰貳",
            "三叁參叄",
            "四肆",
            "五伍",
            "六陆陸",
            "七柒",
            "八捌",
            "九玖",
        )
    )
    for c in cs
}
_SMALL_VALUES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_MAG_VALUES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12, "京": 10**16}
_ENGLISH_MAGS = {
    "thousand": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_MAX_NUMBER_CHARS = 40

_ARABIC = (
    r"[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))++(?:\.[0-9]++)?+"
    r"|[0-9]{1,3}(?: [0-9]{3}(?![0-9]))++"
    r"|[0-9]++(?:\.[0-9]++)?+"
)
# 兆瓦 and 千瓦 are megawatts and kilowatts: there 兆 and 千 belong to the unit.
_SI_PREFIXED = "瓦赫位比字帕克焦"
# 參 is three only where it begins no word: 70億參數 is parameters. 陸 is six only outside
# 大陸, 內陸, 登陸 and the words it begins (陸續, 陸資, 陸企): 中國大陸93億美元 is 93億.
_CN_NUMERAL = (
    rf"(?:[{_CN_DIGITS.replace('參', '').replace('陆陸', '')}十拾佰仟万萬亿億京]|百(?!分[點点])"
    rf"|[千兆](?![{_SI_PREFIXED}])|參(?![數数與与加考觀观訪访議议展賽赛照謀谋選选])"
    r"|(?<![大內内登著着歐欧])[陆陸](?![續续資资企股客委生配方軍军地港海空路])"
    ")"
)
_NUMBER = (
    rf"(?:{_ARABIC}|{_CN_NUMERAL})"
    rf"(?:{_ARABIC}|{_CN_NUMERAL}|[点點](?=[{_CN_DIGITS}])"
    rf"|[多余餘几幾来來](?=[{_CN_SMALL}{_CN_MAGS}])| (?=[{_CN_MAGS}])"
    # 1 億 2 千萬, spaced as typeset: the next group goes on after a space only where a
    # smaller magnitude closes it (not 5億 2024年), and its 千 may follow a space (not 千瓦)
    rf"|(?<=[{_CN_MAGS}]) (?=[0-9]{{1,4}} ?[{_CN_SMALL}{_CN_MAGS}])"
    rf"|(?<=[{_CN_MAGS}] [0-9]) (?=[{_CN_SMALL}](?![{_SI_PREFIXED}]))"
    # 3個億, 一個多億: a hundred million as it is said
    rf"|[个個](?=多?[亿億]))*+"
)
_SCAN = re.compile(
    rf"(?P<pct>百分之(?P<pn>{_NUMBER}))"
    # 三分之一; and Hong Kong's 三分一, 四分三, without 之, between single numerals (not
    # 十分一般, 八點五分一起)
    rf"|(?P<frac>(?P<fd>{_NUMBER})分"
    rf"(?:之|(?<=(?<![{_CN}0-9.點点])[二三四五六七八九]分)(?=[一二三四五六七八](?![{_CN}分秒鐘钟])))"
    rf"(?P<fn>{_NUMBER}))"
    # 一半, 過半, 近半: half; but 近半個百分點 is nearly half a percentage point
    r"|(?P<half>(?<!另)一半|[過过逾近]半(?:[數数](?!位))?(?![導导年]|[個个]?(?:[月小鐘钟]|百分))|半[數数](?!位))"
    # Half a year, month or hour as a length of time: 拖半年以上, 近半年, 綜援額外發放半個月,
    # 等了半小時, and 近半個月 is nearly half a month, not nearly half; not 上半年, 半年報,
    # 上半個月 or 半個月前, which name a period or a day
    r"|(?P<halftime>(?:(?<=[過过]去)|(?<![上下前後后今明去同當当每大多一二三四五六七八九十兩两]))"
    r"(?:半年(?![報报度結结底初末中線线])"
    r"|半(?:(?:個|个)(?:月|星期|禮拜|礼拜|小時|小时|鐘頭|钟头|鐘|钟)|小時|小时|鐘頭|钟头)(?![前後后]))"
    # Hong Kong's 個半鐘 and 個半月, one and a half, said without the one (排咗成個半鐘)
    rf"|(?<![0-9{_CN_DIGITS}{_CN_SMALL}這这那哪呢嗰每某幾几])[個个]半"
    r"(?:小時|小时|鐘頭|钟头|鐘|钟|月|星期|禮拜|礼拜)(?![前後后]))"
    # 半個百分點: half a percentage point, the half said without a number
    rf"|(?P<halfpoint>(?<![0-9{_CN}個个])半(?:個|个)?百分[點点])"
    rf"|(?P<num>{_NUMBER})"
)
_NUMBER_AT = re.compile(_NUMBER)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CURRENCY_WORDS = {
    "USD": "美元 美金 美圓 美圆 元美金 元美元",
    "CNY": "人民幣 人民币 元人民幣 元人民币",
    "TWD": "新台幣 新臺幣 台幣 臺幣 元新台幣 元新臺幣 元台幣 新台币 台币 元新台币",
    "HKD": "港元 港幣 港币 港圓 元港幣 元港币",
    "EUR": "歐元 欧元 歐羅 欧罗",
    "JPY": "日圓 日圆 日元 日幣 日币",
    "other": "英鎊 英镑 韓元 韩元 韓圜 澳元 加元 加幣 新加坡元 新幣 坡元 星元 盧比 卢比 盧布 卢布 瑞郎 "
    "泰銖",
}
_PREFIX_CURRENCIES = {
    "US$": "USD",
    "USD": "USD",
    "$": "USD",
    "NT$": "TWD",
    "NTD": "TWD",
    "TWD": "TWD",
    "HK$": "HKD",
    "HKD": "HKD",
    "RMB": "CNY",
    "CNY": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "EUR": "EUR",
    "€": "EUR",
    "JPY": "JPY",
}
for _code, _words in _CURRENCY_WORDS.items():
    if _code != "other":
        for _word in _words.split():
            if not _word.startswith("元"):
                _PREFIX_CURRENCIES[_word] = _code

# The unit after a number, as the kind of figure it makes. "noun" counts only after Arabic
# numerals or a magnitude (6710亿参数, 27國), never after a small Chinese numeral (兩國, 三巨頭).
_UNIT_KINDS: dict[str, str] = {}
for _code, _words in _CURRENCY_WORDS.items():
    _UNIT_KINDS.update(dict.fromkeys(_words.split(), _code))
_UNIT_KINDS.update(dict.fromkeys("元 塊錢 块钱".split(), "yuan"))
_UNIT_KINDS["蚊"] = "HKD"  # Hong Kong's spoken dollar: 三四十萬蚊
_UNIT_KINDS.update({"%": "percent", "‰": "permille", "倍": "times", "成": "tenth"})
_UNIT_KINDS.update(dict.fromkeys("個百分點 个百分点 百分點 百分点".split(), "percentage_point"))
# 25個基點 is 0.25 percentage points; 減息0.25厘, Hong Kong's word for a rate's point.
_UNIT_KINDS.update(dict.fromkeys("個基點 个基点 基點 基点".split(), "basis_point"))
_UNIT_KINDS["厘"] = "rate_point"
_UNIT_KINDS.update(dict.fromkeys("奈米 纳米 納米 nm".split(), "nm"))
_UNIT_KINDS.update(
    dict.fromkeys(
        (
            "年 個年頭 个年头 個月 个月 個多月 个多月 周 週 星期 個星期 个星期 個禮拜 个礼拜 天 "
            "小時 小时 個小時 个小时 個多小時 个多小时 鐘頭 钟头 個鐘頭 分鐘 分钟 秒 秒鐘 秒钟 "
            "毫秒 微秒 "
            "奈秒 纳秒 學年 学年 個學年 个学年 個季度 个季度 個工作日 个工作日 工作日 日內 日内 "
            "個交易日 个交易日 交易日 個鐘 个钟 日曆天 日历天 個日曆天 个日历天 曆天 "
            "個世紀 个世纪"
        ).split(),
        "duration",
    )
)
_UNIT_KINDS.update(
    dict.fromkeys(
        (
            "公里 千米 公尺 米 厘米 公分 毫米 平方公里 平方米 平方公尺 坪 公頃 公顷 畝 亩 噸 吨 "
            "平方毫米 平方厘米 平方公分 立方米 立方公尺 立方公里 周岁 周歲 週歲 足歲 足岁 虛歲 虚岁 "
            "太瓦時 太瓦时 GPU小時 GPU小时 卡時 卡时 "
            "exaflops petaflops teraflops ExaFlops PetaFlops TeraFlops "
            "公噸 "
            "公吨 公斤 千克 克 瓦 千瓦 兆瓦 吉瓦 瓦特 千瓦時 千瓦时 兆瓦時 兆瓦时 吉瓦時 吉瓦时 瓦時 瓦时 "
            "度電 度电 瓩 歲 岁 位元 比特 "
            "赫茲 赫兹 "
            "ExaFLOPS PetaFLOPS TeraFLOPS EFLOPS PFLOPS TFLOPS GFLOPS FLOPS FLOPs TOPS ZB EB PB TB GB "
            "EFlops PFlops TFlops GFlops Eflops Pflops Tflops Gflops "
            # 方呎 is how Hong Kong's property news writes 平方呎: 實用面積1,205方呎
            "MB KB Tb Gb Mb P 平方呎 方呎 平方英尺 平方英呎 呎 英尺 英呎 吋 英寸 ℃ °C 攝氏度 摄氏度 "
            "PB/s TB/s GB/s MB/s Tb/s Gb/s "
            "泽字节 澤字節 艾字节 艾字節 拍字节 拍字節 太字节 太字節 吉字节 吉字節 兆字节 兆字節 "
            "字节 字節 位元組 "
            "Gbps Mbps GW MW kW KW W TWh GWh MWh kWh GHz MHz Hz mAh 毫安時 毫安时 km cm mm kg ms "
            "幀/秒 帧/秒 Wh/kg Wh/L tokens/秒 token/秒 tokens/s token/s Tokens/s Token/s"
        ).split(),
        "other",
    )
)
_UNIT_KINDS.update(
    dict.fromkeys(
        (
            "個 个 家 篇 件 項 项 人次 人 位 名 台 臺 顆 颗 枚 座 條 条 間 间 所 次 款 架 張 张 "
            "片 筆 笔 "
            "套 部 輛 辆 艘 隻 只 種 种 類 类 份 頁 页 本 支 根 組 组 股 戶 户 層 层 棟 栋 處 "
            "处 場 场 例 "
            "宗 則 则 封 冊 册 門 门 輪 轮 批 粒 棵 幅 首 方面 起 塊 块 席 櫃 柜 副 雙 双 "
            "單 单 頭 头 瓶 箱 盒 趟 班 票 道 章 案 架次 班次 幢 杯 "
            # Hong Kong's flats: 首批推出168伙; doses of a vaccine: 已接種逾600萬劑; hospital
            # beds as Taiwan counts them: 病床數約17.4萬床
            "伙 劑 剂 床"
        ).split(),
        "count",
    )
)
_UNIT_KINDS.update(
    dict.fromkeys(
        (
            "用户 用戶 人口 员工 員工 参数 參數 网民 網民 学生 學生 企业 企業 公司 人才 论文 "
            "論文 专利 "
            "專利 字 词元 詞元 國 国 城市 tokens token Tokens Token GPU 卡 機架 机架 標準機架 "
            "标准机架 "
            # Schools as Taiwan's education news counts them: 共有35校註冊率未達六成
            "校"
        ).split(),
        "noun",
    )
)
# The units of a stretch of time, as a figure's text ends (is_length_of_time).
_DURATION_WORDS = tuple(word for word, kind in _UNIT_KINDS.items() if kind == "duration")
# Measures that read as one only after a magnitude: 28億度 (kilowatt hours), where 3度 may
# be degrees or a third time and 一度 means once.
_UNIT_KINDS["度"] = "magnitude_measure"
# Words after a number that make it a date, a rank, a name or a term, not a figure.
_UNIT_KINDS.update(
    dict.fromkeys(
        (
            "年代 年底 年初 年度 年末 月 月份 日 号 號 時 时 点 點 分 季 季度 世紀 世纪 屆 届 "
            "期 代 級 级 "
            "強 强 楼 樓 版 環 环 周年 週年 大 線 线 中全會 中全会 路 號線 号线 年級 年级 "
            "年計劃 年计划 年規劃 年规划 年計畫 人計劃 人计划 卡叢集 卡集群 卡丛集 "
            "年行動計劃 年行动计划 年行動計畫 年行動方案 年行动方案 "
            "年前 年後 年后 天前 個月前 个月前 周前 週前"
        ).split(),
        "reject",
    )
)
# After 成本, what makes 成 a share and 本 the start of the next word: 七成本地需求.
_OWN_AFTER_COST = tuple("地土港身年月期市省屆届區区校")
# Computing power named, for P as petaflops.
_POWER_NAMED = re.compile("算力|智算|算能|計算能力|计算能力|PFLOPS|EFLOPS", re.IGNORECASE)
# Words that look like a unit but begin another word here (成為, 台北, 人工智慧, 支持 ...).
_UNIT_GUARDS = {
    # 三成為海外企業, 六成人, 六成員工 are shares: 為, 人 and 員 begin the next word there.
    "成": "功本長长立果績绩熟交型效就都品分年真份",
    "元": "化素宇首旦老件器組组朝",
    "台": "北中南東东灣湾積积電电幣币股達达商資资胞海塑大独獨美日韓韩",
    "臺": "北中南東东灣湾積积電电幣币股達达商資资胞海塑大獨美日韓",
    "人": "工民類类大士權权員员才口次力",
    "支": "持援付出配",
    "所": "以有在得謂谓需屬属長长",
    "部": "署長长分門门",
    "處": "理長",
    "处": "理长",
    "場": "景所域地",
    "场": "景所域地",
    "層": "面",
    "层": "面",
    "組": "成織",
    "组": "成织",
    "類": "似型",
    "类": "似型",
    "則": "是",
    "则": "是",
    "條": "件例約款",
    "条": "件例约款",
    "只": "是有要能在",
    "門": "檻户戶",
    "门": "槛户",
    "次": "年日月之要世全",
    "本": "土身地",
    "名": "單单列",
    "位": "於于居数數元",
    "塊": "錢",
    "块": "钱",
    "起": "步來来飛飞點点源訴诉跳",
    "家": "號号庭電电居鄉乡",
    "米": "粒飯饭",
    "首": "先都次位",
    "上下": "游文班級级層层",
    "周": "邊边",
    "股": "份東东票價价市",
    "種": "植",
    "种": "植",
    "國": "際际內内外家集",
    "国": "际内外家集",
    "卡": "車车",
    "席": "捲卷",
    "櫃": "檯台臺員子",
    "單": "位元獨一價日車純身品項據調筆選",
    "单": "位元独一价日车纯身品项据调笔选",
    "頭": "條部號銜髮腦盔等版像",
    "头": "条部号衔发脑盔等版像",
    "班": "級長主底子機次",
    "箱": "子",
    "章": "程節节法",
    "案": "件例子情由底卷發发",
    "道": "路理德歉教具家觀观士德謝谢賀贺別别口光",
    "瓶": "頸颈子",
    "票": "價价房據据選选數数面",
    "蚊": "子蟲虫香帳帐賬",
    "內": "地部容需資銷閣政外在含存置",
    "内": "地部容需资销阁政外在含存置",
    "字节": "跳",
    "字節": "跳",
    "副": "總总主局部市處处長长會会業业作產产本刊",
    "雙": "方向邊重核軌語城十贏創",
    "双": "方向边重核轨语城十赢创",
    "柜": "台员子",
    # 劑量, 劑型: a dose's size and form, not doses counted
    "劑": "量型",
    "剂": "量型",
    # 月薪6萬根本買不起: 根本 (simply) and 根據 (according to) begin the next word
    "根": "本據据",
    # 2025校招, 35校區: campus recruiting, campuses, and the school's own staff and rules
    "校": "長长園园區区友方內内外際际務务舍車车隊队訓训慶庆規规招對对正準准驗验服歌史企地巴董監监花徽門门",
}
_UNIT_FIRST_CHARS = frozenset(w[0] for w in _UNIT_KINDS) - {""}
_PREFIX_LAST_CHARS = frozenset(w[-1] for w in _PREFIX_CURRENCIES)
_LATIN_UNITS = {w for w in _UNIT_KINDS if w.isascii() and w.isalpha()}
_UNIT = re.compile(rf" ?({_alternation(_UNIT_KINDS)})")
_POWER_OF_TEN = re.compile(
    r"(?P<times> ?[×xX*] ?10)? ?(?:(?:\^|\*\*) ?(?P<exponent>[0-9]{1,2})(?![0-9])"
    r"|(?P<superscript>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}))"
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ENGLISH_MAG = re.compile(r" ?(thousand|million|billion|trillion|bn|mn|tn)(?![A-Za-z])")
# A magnitude's letter on the digits, as model cards write parameters and tokens (671B, 7B,
# 1.8T, 128K), where a model's size, context or tokens are named: 4K is a screen's, 910B
# a chip's name.
_LATIN_MAG = re.compile(r"([KMBT]|k)(?![A-Za-z0-9/+])")
_LATIN_MAGS = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_TOKEN_CONTEXT = re.compile(
    "上下文|[Cc]ontext|[Tt]okens?|窗口|長度|长度|字元|字符|參數|参数|[Pp]arameters?|模型"
)
# Pay, rent or a price named before a Latin magnitude makes it money: 月薪28K, 房租2.5k, 開價60K以上.
_PAY_CONTEXT = re.compile("月薪|年薪|薪水|薪金|人工|月租|租金|房租|售價|售价|開價|开价|報價|报价")
# Chips whose model numbers end in a Latin magnitude's letter: 昇騰910B, 麒麟9000S.
_CHIP_NAMES = frozenset("昇騰 昇腾 鯤鵬 鲲鹏 麒麟 思元 海光 龍芯 龙芯".split())
_FRACTION_SLASH = re.compile(r"/([0-9]{1,4})(?![0-9./年月日])")
# A power in watts before a slash, a second measure after it: 儲能案場100MW/400MWh.
_POWER_BEFORE_ENERGY = re.compile(r"[0-9] ?[GMkKT]?W/\Z")

_PRE_HEDGES = {
    "about": "約 约 大約 大约 約為 约为 約莫 约莫 將近 将近 接近 幾乎 几乎 大概 近 約達 约达 "
    "約有 约有 大約有 大约有 約合 约合 約合為 约合为 差不多 差唔多",
    "more_than": "超過 超过 超 逾 突破 多於 多于 高於 高于 大於 大于 遠高於 远高于 遠超過 远超过 "
    "超逾 過 过 破",
    "at_least": "至少 不少於 不少于 不低於 不低于 起碼 起码 最少 低至 下限 不得低於 不得低于 不得少於 "
    "不得少于 不可低於 不可低于 不能低於 不能低于 不應低於 不应低于 唔少於 唔少过 唔少過 唔低於 唔低过 "
    "不應少於 不应少于 不能少於 不能少于 不可少於 不可少于 不會少於 不会少于",
    "less_than": "不到 不足 不及 少於 少于 低於 低于 未滿 未满 未達 未达 未及 唔夠 唔够 唔到 跌破 "
    "跌穿",
    "at_most": "不超過 不超过 不得超過 不得超过 最多 最高 上看 上限 至多 不多於 不多于 不高於 不高于 "
    "不大於 不大于 不得高於 不得高于 不得多於 不得多于 唔超過 唔超过 唔多於 唔多过 唔高於 "
    "未超過 未超过 沒超過 没超过 未超出 未逾",
}
_PRE_HEDGE_OF = {w: h for h, ws in _PRE_HEDGES.items() for w in ws.split()}
# Emphasis that is not a hedge, and words that let a lone 一 count (僅一家, 只有一個).
_EMPHASIS = re.compile(r"(?:僅|仅|只有|只|共|唯有|才)\s?\Z")
_POST_HEDGES = {
    "及以上": "at_least",
    "及以下": "at_most",
    "或以上": "at_least",
    "或以下": "at_most",
    "以上": "more_than",
    "以下": "less_than",
    "有餘": "more_than",
    "有余": "more_than",
    "左右": "about",
    "上下": "about",
    "以內": "at_most",
    "以内": "at_most",
    "內": "at_most",
    "内": "at_most",
    "之內": "at_most",
    "之内": "at_most",
    "前後": "about",
    "前后": "about",
    "不到": "less_than",
    "多": "more_than",
    "起": "at_least",
    "起跳": "at_least",
}
_POST_HEDGE = re.compile(rf" ?({_alternation(_POST_HEDGES)})")
_AUX_HEDGES = {
    "多": "more_than",
    "余": "more_than",
    "餘": "more_than",
    "几": "more_than",
    "幾": "more_than",
    "来": "about",
    "來": "about",
}
_WITHIN = re.compile("之?[內内]")
# After a share (三成多, 百分之三十多): more than it.
_MORE_AFTER = ("多", "余", "餘")
# Hedges after a number that only a unit's kind lets in (_quantity decides): 多 with the
# number, 內 after a length or distance, 起 after a price.
_MEASURE_ONLY_HEDGES = frozenset(("多", "內", "内", "起"))
# After a length of time: the time up to now (近三年來, 近10年間).
_SINCE = ("來", "来", "以來", "以来", "間", "间")
# The signs that make a number negative: 年增率-5.1%, 營業利益率為負1.8%.
_MINUS_SIGNS = frozenset("-負负")
# Two numerals listed as one rough count: 三、四個, 兩、三年, 五、六成 (when they neighbour).
_ROUGH_LIST = re.compile("(?P<a>[一二两兩三四五六七八九])、(?=(?P<b>[一二两兩三四五六七八九]))")
# The sign of a range's second end is the first's, written again: $499至$2,980.
_RANGE = re.compile(rf" ?(?:至|到|-|–|—|~) ?(?:(?:US|HK|NT)?\$ ?)?(?=[0-9{_CN}])")
# A cap or a floor: 上限5,450億元, and set apart, 上限為5億元 (but not 上限的一半).
_CAPS = ("上限", "下限")
# A hedge set apart from its number by a few words ending in 的: 不得超過總量的一半.
_FAR_HEDGE_WORDS = [w for w in _PRE_HEDGE_OF if len(w) > 1 or w in ("约", "約")]
_FAR_HEDGE = re.compile(
    rf"({_alternation(_FAR_HEDGE_WORDS)})"
    r"(?:[^，,。；;：:、\n]{0,12}[的嘅]|[\u4e00-\u9fff]{1,4}|(?<=[約约])[佔占][\u4e00-\u9fff]{1,6}"
    # 最高可被判罰款100萬港元: a cap reaches over its verb and what it caps
    r"|(?<=最高|最多|至多|至少|最少)[\u4e00-\u9fff]{5,8}"
    # 不超過計畫總經費百分之五十: a cap or floor over the whole its share is of
    r"|(?<=不超過|不超过|不高於|不高于|不低於|不低于|不少於|不少于)[\u4e00-\u9fff]{5,6}"
    r"|(?<=不得超過|不得超过|不得高於|不得高于|不得低於|不得低于)[\u4e00-\u9fff]{5,6})"
    r" ?\Z"
)
# 約 inside another word hedges nothing: 合約, 簽約, 違約, 預約, 條約, 節約, 綁約 (a phone
# plan's term: 綁約30個月); 約定, 約談.
_COMPOUND_BEFORE_ABOUT = frozenset(
    "合簽签違违預预履契條条公節节制邀赴特解續续毀毁失踐践婚盟隱隐立訂订誓廢废綁绑"
)
_COMPOUND_AFTER_ABOUT = frozenset("定束談谈見见請请會会稿")
# Words that end in 合 or 失, so that a 約 after them is a hedge: 折合約, 整合約800億個電晶體,
# 損失約55億美元 (not 合約, a contract, or 失約, a broken appointment).
_WORDS_ENDING_BEFORE_ABOUT = {
    "合": frozenset("折整融綜综配組组聯联混符適适吻集結结"),
    "失": frozenset("損损流遺遗丟丢喪丧缺散"),
}


def _ends_word_before_about(norm: str, position: int) -> bool:
    """Whether the 合 or 失 at `position` ends a word (折合, 損失) rather than begins 合約."""
    enders = _WORDS_ENDING_BEFORE_ABOUT.get(norm[position : position + 1], "")
    return bool(enders) and norm[position - 1 : position] in enders


# The digit after 成 that adds a percent (七成三, 三成五, and in digits as Taiwan's polls
# write it, 4成8), unless it begins a number of its own.
_TENTH_DIGIT = re.compile(
    rf"[一二三四五六七八九](?![{_CN_DIGITS}十百千萬万億亿成倍個个年家位次半%]|人(?!口))"
    r"|(?<=[0-9]成)[1-9](?![0-9.,%月日年十百千萬万億亿成倍個个家位次人])"
)
# What follows 最多 or 最高 set apart from its number when it bounds it: 最多可獲.
_BOUNDING_VERBS = tuple("可能將将會会只僅仅達达為为不獲获補补資资給给看罰罚處处判賠赔")
# The hedges of a floor or a cap, and the verbs of need a floor reaches over (至少需要投入).
_FLOOR_AND_CAP = frozenset(("至少", "最少", "起碼", "起码", "最多", "至多", "最高"))
_NEEDING = ("需", "要", "應", "应", "得", "必")
# A word between a hedge and its number that ends the hedge's reach, the sentence having
# moved on: 技術突破後融資5億元.
_HEDGE_REACH_ENDS = re.compile("[後后]")
# Words between a hedge and an amount it bounds in another currency (逾等值1萬美元).
_EQUIVALENT = ("等值於", "等值于", "等值")
_COUNT_CONTEXT = re.compile(
    "人數|人数|人次|用戶|用户|人口|次數|次数|數量|数量|參數|参数|下載|下载|觀看|观看|訪問|访问|"
    "粉絲|粉丝|網民|网民|員工|员工|銷量|销量|出貨|出货|產量|产量|台數|台数|日活|月活|"
    "調用量|调用量|[Tt]okens?|機架|机架|機櫃|机柜|訂單|订单|漲粉|涨粉|吸粉|裝機|装机|畢業生|毕业生|"
    "學生|学生|人才|星標|星标|關注|关注|訂閱|订阅|點讚|点赞|轉發|转发|播放量|閱讀量|阅读量|"
    # 客戶數目59.8萬, 開戶數逾百萬: clients, accounts and households counted
    "戶數|户数"
)
# Words of money that keep a bare magnitude an amount beside a counted noun: 訂單金額, 年付費;
# but the noun a word of money describes is what is counted: 付費用戶逾百萬.
_PAID_CONTEXT = re.compile(
    "金額|金额|付費|付费|費用|费用|收入|營收|营收|價|价|薪|資助|资助|補貼|补贴|獎勵|奖励|撥款|拨款|投資|投资"
)
_INDEX_CONTEXT = re.compile(
    "指數|指数|恒指|恆指|國指|国指|科指|道指|納指|纳指|標普|标普|費半|费半|日經|日经|上證|上证|"
    "滬指|沪指|深成指|深指|加權|加权|櫃買|柜买|大市|收報|收报|大盤|大盘|台股|港股|A股|期指|"
    "創業板指|创业板指|深證成指|深证成指|科創50|科创50|恒生科技|恆生科技"
)
# A move of an index just before its points: 高開137點, 升412點, 高水45點.
_INDEX_MOVE = re.compile("[升跌漲涨開开報报彈弹挫水]")
# Two numerals side by side: a rough count (兩三個, 三五家, 二三十人, 十七八歲, 三四百萬,
# and after the hundreds or thousands they add to, 一百二三十萬, 三千五六百) when they
# neighbour, else a name (西九一個: 西九, then 一個).
_NEIGHBOUR_NUMERALS = re.compile(
    r"(?P<tens>十|(?:[一二两兩三四五六七八九][百千])+)?"
    r"(?P<a>[一二两兩三四五六七八九])(?P<b>[一二两兩三四五六七八九])"
    r"(?P<rest>[十百千萬万億亿]*)"
)
_HALF_DURATION = re.compile(
    r" ?(?:個|个)半 ?(?:小時|小时|鐘頭|钟头|鐘|钟|月|星期|禮拜|礼拜|學期|学期|世紀|世纪)"
)
# 一個半百分點: one and a half percentage points.
_HALF_POINT = re.compile(r" ?(?:個|个)半 ?百分[點点]")
# A move just before an amount, whose 至 then names the level reached: 上漲2.5元至298.5元.
# 年增50%至60% and 季減 give a rate of change, and a rate's range.
_MOVED_BY = re.compile(
    "(?:(?<![年季月])[漲涨跌升降增減减]|增加|減少|减少|上升|下滑|回落|反彈|反弹|提高|降低)$"
)
# Verbs that make 不到 "cannot": 找不到一位.
_VERB_BEFORE_CANNOT = frozenset("找做想看聽听拿辦办等買买用吃睡收接請请招")
# 用 ends a noun here, not the verb of 用不到: 費用不到5億元, 使用不到一半.
_NOUN_BEFORE_USE = frozenset("費费使應应作信運运採采利")
# What makes 過 part of a word before a number: 超過, 經過, 通過, 不過.
# 過 as an aspect after a verb (算過一筆賬, 看過一次) is no hedge either.
_GLUED_BEFORE_OVER = frozenset(
    "超經经通度越不透跨路難难錯错放勝胜好太算看做聽听吃去來来到見见用試试想說说講讲聊談谈碰遇拿買买賣卖"
)
_GLUED_BEFORE_BREAK = frozenset("打攻突擊击爆識识看道說说點点衝冲撞殘残刺戳揭")
# What makes 超 part of a word before a number: 賣超, 買超 (net selling, buying).
_NET_BEFORE_OVER = ("賣", "卖", "買", "买")
# 出超 and 入超, a trade surplus and deficit, after 貿易, a month or 累計 or opening a clause:
# 出超214.5億美元. In 支出超過 or 輸出超 the 出 ends another word and 超 is a hedge.
_TRADE_BALANCE_BEFORE_OVER = re.compile(
    r"(?:貿易|贸易|累計|累计|[月季]|(?<![\u4e00-\u9fff]))[出入]\Z"
)
# Output that a bare 萬元 is counted per: 萬元國內生產總值用水量.
_PER_OUTPUT = re.compile("國內生產總值|国内生产总值|GDP|產值|产值|增加值")
_PRICE_CLASS_NOUNS = frozenset("机機户戶店檔档")
# A Chinese numeral with a magnitude and the digits after it: 兩萬五, 三萬五千, 一億二, and
# 萬五 (15,000) without a digit before, where 萬一 (in case) is a word; and as pay is typed,
# Arabic digits with one digit after (起薪3萬5: 35,000).
_SHORTENED = re.compile(
    rf"(?:[{_CN_DIGITS}{_CN_SMALL}]+(?=[万萬亿億][{_CN_DIGITS}])|(?=[万萬][二两兩三四五六七八九])"
    r"|[0-9]+(?=[万萬亿億][1-9]\Z))"
    rf"(?P<mag>[万萬亿億])(?:[{_CN_DIGITS}]+[千仟百佰十拾]?|[1-9])"
)
_SHARED_POINTS = re.compile(r" ?(?:和|及|、|与|與|或) ?[0-9.]+ ?(?:個|个)百分(?:點|点)")
# A time of day just before the number: 下午3點, 早上 9點 (上午收報26,758點 is an index's).
_HOUR_CONTEXT = re.compile("[午晨晚早夜][上間间]? ?\\Z")
# An interest rate named before 厘: 加息0.25厘, 最優惠利率下調0.125厘; and a move of it.
_RATE_CONTEXT = re.compile("息|利率|P[ ]?[Rr]ate")
# What 次 counts when it names operations: 每秒35兆次運算, 百億億次浮點運算.
_OPERATIONS = ("運算", "运算", "浮點", "浮点", "計算", "计算")
_RATE_MOVE = re.compile("[加減减降升調调削增]")
# What 塊 counts when named just before it: cards, chips, boards (加速卡1,000塊), where
# 一張卡大概8萬塊 is a card's price.
_BLOCKS_COUNTED = re.compile("(?:卡|芯片|晶片|GPU|屏|板|電池|电池|硬盤|硬盘|硬碟|晶圓|晶圆) ?$")
# What may follow 塊 when it is money (便宜了500塊，), not things counted (2048塊H800).
_TEMPERATURE = re.compile("氣溫|气温|溫度|温度|高溫|高温|低溫|低温|攝氏|摄氏|體溫|体温|水溫|水温")
_MONEY_BLOCK_ENDS = frozenset('，,。；;！!？?、）)」”" \n了的钱錢吧啦左以')
# Days in a row or in all before 日: 連升5日, 累計5日賣超.
_COUNTING_DAYS = re.compile("(?:(?:連|连)(?:續|续)?[升跌漲涨降增挫]?|累計|累计)$")
# 與第一名相差不到2分: points between two scores, where minutes are 分鐘.
_SCORE_CONTEXT = re.compile(
    "得分|分數|分数|評分|评分|得|總分|总分|滿分|满分|平均|相差|差距|落後|落后|領先|领先"
)
# What follows a score: 以1287分位列第三, 4.2分（滿分5分）.
_SCORE_AFTER = re.compile("位列|位居|排名|排第|居第|（滿分|（满分|\\(滿分|\\(满分")
# A score's move just before its points: 較上月增加4分, 扣3分. A time of day's minutes
# follow its hour (下降至9時30分), and a price's 分 follows 跌 or 漲, not these.
_SCORE_MOVE = re.compile("(?:增加|減少|减少|提高|降低|上升|下降|進步|进步|退步|扣) ?\\Z")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")

_Y4 = r"(?:1[5-9]|20|21)[0-9]{2}"
_YC = r"[一二三四五六七八九〇零○]{4}"
# A fiscal or school year is the year too: 2025財年, 2025會計年度, 2024學年度.
_YEAR_OF = r"(?:財|财|會計|会计|財政|财政|課稅|课税|學|学)?年"
# Years listed (2024、2025年, 2022年、2023年和2024年) span from the first to the last.
_YEAR_JOINT = r"(?:至|到|-|–|—|~|/|和|及|、|與|与) ?"
_YEAR = re.compile(
    rf"(?<![0-9A-Za-z.])(?P<a>{_Y4}|{_YC}) ?(?:年(?:度)? ?)?"
    rf"(?:{_YEAR_JOINT}(?:(?:{_Y4}|{_YC}) ?(?:年(?:度)? ?)?{_YEAR_JOINT})*"
    rf"(?P<b>{_Y4}|{_YC}|[0-9]{{2}}(?= ?{_YEAR_OF})) ?)?{_YEAR_OF}(?P<dec>代)?"
)
_ISO_DATE = re.compile(
    rf"(?<![0-9])(?P<a>{_Y4})([-/.])(?:1[0-2]|0?[1-9])\2(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])"
)
# A year in a fiscal label: FY2025, 2024Q4, 2025H1.
_YEAR_LABEL = re.compile(
    rf"(?<![0-9A-Za-z])(?:FY ?(?P<a>{_Y4})|(?P<b>{_Y4}) ?(?:Q[1-4]|H[12]))(?![0-9A-Za-z])"
)
# A Republic-of-China date written with slashes: 114/3/5.
_ROC_DATE = re.compile(
    r"(?<![0-9./])(?P<b>9[0-9]|1[0-3][0-9])/(?:1[0-2]|0?[1-9])/(?:3[01]|[12][0-9]|0?[1-9])(?![0-9/])"
)
_ROC_YEAR = re.compile(
    rf"(?:民國|民国) ?(?P<a>[0-9]{{2,3}}|[{_CN_DIGITS}{_CN_SMALL}]{{2,5}}) ?年"
    r"|(?<![0-9.])(?P<b>9[0-9]|1[0-3][0-9])"
    r"(?: ?(?:年度?)? ?(?:至|到|-|–|—|~) ?(?P<c>9[0-9]|1[0-3][0-9]))?"
    # 113學年 is a school year whatever follows it (113學年大學新生)
    r" ?(?:(?:學|学)年|年(?= ?(?:底|度|初|中(?![國国])|末|上半|下半|第|前(?![0-9])"
    rf"|前 ?[0-9{_CN_DIGITS}十]{{1,3}} ?(?:個|个)?(?:月|季)|[0-9]{{1,2}} ?月)))"
)
# 未來五年, 過去三年: a stretch of years counted back or on from the article's date.
_RELATIVE_SPAN_WORDS = ("未來", "未来", "今後", "今后", "往後", "往后", "過去", "过去")
_RELATIVE_SPAN = re.compile(
    rf"(?:{'|'.join(_RELATIVE_SPAN_WORDS)})(?= ?(?:{_NUMBER}) ?(?:個|个)?年)"
)
# Between the two ends of a span of years: 114學年度起至117, 2025年起到2028.
_YEARS_JOINT = re.compile(" ?(?:度)? ?起? ?(?:至|到|迄) ?")
_COMPARED = frozenset("較较比")
# A change to a new level: 提升至, 增長到, 降至 (not 起至今, a span of time).
_CHANGED_TO = re.compile(
    "(?:提升|提高|增長|增长|成長|成长|增加|上升|攀升|擴大|扩大|下降|降低|減少|减少|縮小|缩小"
    "|下滑|回落|[升降增減减跌漲涨])了?(?:至|到)"
)
# What joins a base of comparison's year to the base's amount: 比114年度的224億元.
_OF_BASE = re.compile("度? ?的 ?")
# 為2019年的2.5倍, 僅為2021年峰值的一半, 超過其2024年全年的九成: the later year's figure
# as a share or multiple of the earlier year's.
_SHARE_OF_VERBS = ("為", "为", "是", "超過", "超过", "相當於", "相当于", "達", "达", "佔", "占")
_MULTIPLE_OF = re.compile(
    rf"[\u4e00-\u9fff]{{0,4}}?的 ?(?:(?:{_NUMBER}) ?(?:倍|成)|一半|[0-9.]+ ?%|百分之)"
)
# In Taiwanese text a number from 90 to 139 before 年 is a Republic-of-China year unless it
# reads as a length of time (過去100年, 100年前, 100多年).
_ROC_YEAR_TW = re.compile(
    r"(?:(?<=通過)|(?<=通过)|(?<![0-9.去近達达逾過过約约長长]))(?P<b>9[0-9]|1[0-3][0-9])"
    r"(?: ?(?:年度?)? ?(?:至|到|-|–|—|~) ?(?P<c>9[0-9]|1[0-3][0-9]))? ?年"
    # 100年前 and 100年間 are lengths of time; 114年至117年間 is a span of years, and in
    # 113年來臺旅客 the year's visitors came to Taiwan.
    r"(?(c)(?![前後后內内之多代]|[來来](?![臺台]))|(?![前後后間间內内之多代]|[來来](?![臺台])))"
)
_RELATIVE_YEAR = re.compile(r"今年|去年|明年|前年|後年|同年|當年|当年|本年|上一年|翌年|次年")
# The years some of those are counted from the year named before them.
_YEAR_AFTER_NAMED = {"同年": 0, "當年": 0, "当年": 0, "翌年": 1, "次年": 1}
_TITLE = re.compile(r"《[^《》\n]{0,80}》")
_ORDINAL = re.compile(
    rf"第 ?(?:{_NUMBER})(?: ?[、和及至到\-–—~] ?(?:{_NUMBER}))*"
    rf"|(?<![目之此以當当提先日眼空事年月天週周生從从])前 ?(?:{_NUMBER})"
    rf"|(?<![榜])首 ?(?:{_NUMBER})(?= ?(?:個月|个月|月|季|週|周|天|日|年))"
    # The first months of a year named (今年前8个月), where 3年前 is three years ago.
    rf"|(?<=年)前 ?(?:{_NUMBER})(?= ?(?:個月|个月|月|季|個季度|个季度))"
    # The months a company's half-year or quarter ends with: 截至6月30日止六個月.
    rf"|(?<=止) ?(?:{_NUMBER}) ?(?:個月|个月)"
    # A session of a numbered congress: 十四屆全國人大三次會議 (its third session).
    rf"|(?<=[屆届])[^，,。；;0-9]{{0,10}}?(?:{_NUMBER}) ?次(?=(?:全體|全体)?(?:會議|会议)|全會|全会)"
)
_TIME_OF_DAY = re.compile(r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?")
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")
_IDIOMS = re.compile(
    "|".join(
        " ".join(
            (
                "千家萬戶 千家万户 百家號 百家号 百家爭鳴 百家争鸣 千人計劃 千人计划 萬人計劃 "
                "万人计划",
                "十年八載 十年八载 一年半載 一年半载 三年五載 三年五载 三天兩頭 三天两头 "
                "三番兩次 三番两次",
                "一日千里 千篇一律 百年大計 百年大计 三個代表 三个代表 四個全面 四个全面 "
                "五位一體 五位一体",
                "兩個一百年 两个一百年 萬無一失 万无一失 一五一十 一心一意 一舉兩得 一举两得 "
                "十年磨一劍",
                "十年磨一剑 一國兩制 一国两制 四面八方 五花八門 五花八门 成千上萬 成千上万 "
                "千千萬萬 千千万万",
                "一成不變 一成不变 九牛一毛 說一不二 说一不二 數一數二 数一数二 接二連三 "
                "接二连三 百分百",
                "一本萬利 一本万利 一石二鳥 一石二鸟 萬眾一心 万众一心 一分為二 一分为二 "
                "三三兩兩 三三两两",
            )
        ).split()
    )
)

# A semicolon joins clauses of one sentence: 2024年营收54亿元；净利12亿元 are both 2024's.
_SENTENCE_BREAK = re.compile(r"[。！!？?\n]")
# Characters common in news text and written differently in the two scripts.
_TRADITIONAL = frozenset(
    "們這個說過億萬與為經國發會對實現區級關開際當幣臺灣產業資術體數據務員導計劃議進還點時間東車長"
    "門問題來場報顯應網貿鐵給兩樣讓選電腦達約於學營據規將從"
)
_SIMPLIFIED = frozenset(
    "们这个说过亿万与为经国发会对实现区级关开际当币台湾产业资术体数据务员导计划议进还点时间东车长"
    "门问题来场报显应网贸铁给两样让选电脑达约于学营据规将从"
)
_ONE_COUNTED_AFTER = frozenset((*_PRE_HEDGE_OF, "僅", "仅", "只有", "只", "共", "唯有", "才"))
_MONEY_KINDS = frozenset(("yuan", "percent", *_CURRENCY_WORDS))
_HALF_HEDGES = {"過": "more_than", "过": "more_than", "逾": "more_than", "近": "about"}
# Magnitudes that count on their own before a classifier: 千家, 萬家, 百萬個.
_BARE_MAGNITUDE_COUNTS = frozenset("千 萬 万 百 百萬 百万 千萬 千万 億 亿".split())
_REGION_CURRENCY = {"cn": "CNY", "tw": "TWD", "hk": "HKD"}
# A value, index, efficiency ratio, fertility rate or coefficient named just before a bare
# number, with the verb that gives it: the number is a measured quantity without a unit
# (PUE值低於1.2, 總生育率降至0.87, 基尼系數為0.465), an adverb between them or not (PUE普遍
# 控制在1.25以內).
_MEASURED_VALUE = re.compile(
    r"(?:(?<![價价產产市])值|PUE|指數|指数|利用效率|使用效率|生育率|系數|系数)\)? ?(?:目標|目标)?"
    r"(?:原則上|原则上)?(?:普遍|一般|均|都|基本|大多)?(?:要求|須|须|需|應|应|將|将|已|可)?"
    # PUE由1.6降至1.25: the value a change starts from, and the one it reaches
    r"(?:(?:由|從|从) ?[0-9.]+ ?)?"
    r"(?:低於|低于|降至|降到|降低至|降低到|下降至|控制在|達到|达到|達|达|為|为|是|約為|约为"
    r"|僅為|仅为|高於|高于|不高於|不高于|不超過|不超过|小於|小于|大於|大于|提升至|提高至|在"
    r"|由|從|从)?"
    r" ?$"
)
_CHANGE_OF_VALUE = re.compile(r" ?(?:降至|降到|降低至|下降至|提升至|提高至|升至|增至|減至|减至) ?")
# Words that place a sentence on the mainland, in Taiwan or in Hong Kong, for the currency of
# a bare 元: the story's place, which the source's region only stands in for. An outlet in
# Hong Kong or Taipei writing of Alibaba's 3,800億元 means yuan. The first such word of the
# sentence, its subject as a rule, decides; names that hold another place's word come first
# (中國時報 is a Taiwanese paper).
_PLACE_WORDS = {
    "TWD": (
        "中國時報 中国时报 中時 中國信託 台灣 臺灣 台湾 全台 全臺 台北 臺北 新北 桃園 台中 臺中 台南 臺南 高雄 "
        "新竹 科學園區 科学园区 竹科 南科 中科 行政院 立法院 國科會 經濟部 數發部 數位發展部 中華民國 台積電 臺積電 台积电 鴻海 鸿海 "
        "聯發科 联发科 廣達 緯創 台股 加權指數 櫃買 主計總處 立委"
    ),
    "HKD": (
        "香港 全港 本港 港府 特區政府 特区政府 港交所 立法會 立法会 數碼港 数码港 科學園 科学园 財政司 财政司 "
        "創新科技署 创新科技署 創科局 创科局 科技券 特首 行政長官 行政长官 施政報告 施政报告 "
        "恒生指數 恒生指数 恒指 恆指 港股 港鐵 港铁 政府統計處 政府统计处 金管局 金融管理局 強積金 "
        "强积金 北部都會區 北部都会区 北都 九龍 九龙 新界 港島 港岛 中環 中环 將軍澳 沙田 屯門 元朗 "
        "啟德 启德 機管局 房委會"
    ),
    "CNY": (
        "中國大陸 中国大陆 大陸 大陆 內地 内地 中國 中国 北京 上海 深圳 杭州 廣州 广州 天津 重慶 重庆 "
        "成都 武漢 武汉 南京 蘇州 苏州 合肥 西安 廣東 广东 浙江 江蘇 江苏 國務院 国务院 工信部 "
        "發改委 发改委 全國人大 全国人大 人大代表 政協 政协 兩會 两会 阿里巴巴 騰訊 腾讯 百度 華為 华为 字節跳動 字节跳动 小米 中芯 寒武紀 寒武纪 "
        "科大訊飛 科大讯飞 商湯 商汤 智譜 智谱 月之暗面 深度求索 國家統計局 国家统计局 國家數據局 "
        "国家数据局 沪深 滬深 沪指 滬指 深成指 科创板 科創板 北交所 人民银行 人民銀行 "
        "京東 京东 美團 美团 拼多多 網易 网易 快手 比亞迪 比亚迪 理想汽車 理想汽车 蔚來 蔚来 小鵬 小鹏 "
        "聯想 联想 中興 中兴 中國移動 中国移动 中國電信 中国电信 中國聯通 中国联通"
    ),
}
_PLACE_CURRENCY = {
    word: currency for currency, words in _PLACE_WORDS.items() for word in words.split()
}
# Taiwan's parks' short names that begin the mainland's words: 中科院 and 中科大 (its academy
# and university of science), 南科大 (Shenzhen's), 支出中科學技術支出 (a budget's science).
_PLACE_GUARDS = {"中科": "學学院大技", "南科": "學学院大技"}
_PLACE = re.compile(
    "|".join(
        re.escape(word) + (f"(?![{_PLACE_GUARDS[word]}])" if word in _PLACE_GUARDS else "")
        for word in sorted(_PLACE_CURRENCY, key=len, reverse=True)
    )
)
# Characters before a lone 一 that make it part of a word: 上一年, 這一天, 唯一, 統一.
_ONE_BLOCKERS = frozenset(
    "上下這这那同另新哪單单之唯統统進进每任某其逐萬万專专純纯歸归頭头較较週周該该此有"
)


@dataclass(slots=True)
class _Quantity:
    """One number with what follows it, before hedges, ranges and checks decide on it."""

    start: int
    end: int
    core: str
    value: Decimal
    # a unit code, or "yuan", "tenth", "noun", "duration", "magnitude_measure", "reject", None
    kind: str | None
    scale: Decimal  # the magnitude the number ends in, which a range's first end borrows
    hedge: str | None
    ends_in_magnitude: bool
    # The upper end of two neighbouring numerals (兩三個: two or three), its value scaled alike
    upper: Decimal | None = None


def parse_figures(text: str, *, region: str | None = None) -> list[ParsedFigure]:
    """Return every figure in the text, in order of appearance and never overlapping."""
    if not isinstance(text, str) or not text:
        return []
    norm = _normalised(text)
    traditional = _looks_traditional(norm)
    tw_years = region == "tw" or (region is None and traditional)
    markers, blocked, bases = _periods_and_blocks(
        norm, tw_years, region in ("tw", None) and tw_years
    )
    base_ends = {m[1]: m for m in bases if m[2] is not None}
    blocked_starts = [b[0] for b in blocked]
    sentence_breaks = [m.start() for m in _SENTENCE_BREAK.finditer(norm)]
    clause_breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm)]
    hinted = _REGION_CURRENCY.get(region or "")
    currency = hinted or ("TWD" if traditional else "CNY")
    # The currency of a bare 元 in each sentence that names its place (by its first break).
    placed: dict[int, str] = {}
    for place in _PLACE.finditer(norm):
        sentence = bisect.bisect_right(sentence_breaks, place.start())
        placed.setdefault(sentence, _PLACE_CURRENCY[place.group()])
    placed_sentences = sorted(placed)

    def currency_of(position: int) -> str:
        """The place's currency: the sentence's own, else the source's region, else the
        place the text last named, else the script's."""
        sentence = bisect.bisect_right(sentence_breaks, position)
        if sentence in placed or hinted:
            return placed.get(sentence, hinted)
        earlier = bisect.bisect_left(placed_sentences, sentence) - 1
        return placed[placed_sentences[earlier]] if earlier >= 0 else currency

    def is_blocked(position: int) -> bool:
        index = bisect.bisect_right(blocked_starts, position) - 1
        return index >= 0 and blocked[index][0] <= position < blocked[index][1]

    figures: list[ParsedFigure] = []
    last_end = 0
    for match in _SCAN.finditer(norm):
        if match.start() < last_end or is_blocked(match.start()):
            continue
        read = _read(norm, match, last_end, currency_of(match.start()), is_blocked)
        if read is None:
            continue
        start, end, value, unit, hedge, lower, upper = read
        base = next(
            (
                base_ends[base_end]
                for base_end in range(max(0, start - 4), start)
                if base_end in base_ends and _OF_BASE.fullmatch(norm, base_end, start)
            ),
            None,
        )
        if unit == "times":
            base = None  # 為2019年的2.5倍: the multiple is the later year's
        if base is not None:
            period = base[2], base[3]  # 比114年度的224億元: the base's amount, of its year
        else:
            period = _period(markers, sentence_breaks, clause_breaks, start, end, norm)
        figures.append(
            ParsedFigure(
                start,
                end,
                text[start:end],
                value,
                unit,
                hedge,
                lower,
                upper,
                *period,
            )
        )
        last_end = end
    _price_in_listing_currency(norm, figures, sentence_breaks, region)
    _share_out_periods(norm, figures, markers, sentence_breaks)
    _average_over_years(norm, figures, markers, sentence_breaks)
    return figures


# 分别 before a list of figures that share a list of years gives each its own year.
_SHARED_OUT = re.compile("分别|分別|依次|依序")
_FIGURE_LIST_JOINT = re.compile(r" ?(?:、|和|及|與|与|以及|或|，|,) ?\Z")
_YEAR_RANGE_JOINT = re.compile("至|到|-|–|—|~")
# A yearly average or compound rate over the years a sentence goes from and to.
_AVERAGE_RATE = re.compile(
    "年均|年平均|平均每年|每年平均|年複合|年复合|複合年|复合年|複合成長率|复合增长率|CAGR"
)


# A listed company's stock code, by the exchange's currency: Hong Kong's five digits
# (00981, 0700.HK), Taiwan's .TW, the mainland's six digits; four bare digits are the
# region's (9988 in Hong Kong, 2330 in Taiwan).
_STOCK_CODE = re.compile(
    r"[（(](?:(?P<hk>[0-9]{5}|[0-9]{4}\.HK)|(?P<tw>[0-9]{4}\.TWO?)|(?P<cn>[0-9]{6}(?:\.S[HZ])?)"
    r"|(?P<local>[0-9]{4}))[）)]"
)
_PRICE_WORDS = re.compile(
    r"(?:收報|收报|報|报|收市|收盤|收盘|收|至|股價|股价|每股|招股價|招股价|目標價|目标价|高見|低見"
    r"|開市|开市|開報|开报|價|价|成交|成交額|成交额|市值|蒸發|蒸发) ?\Z"
)
# A price or a market's amount in bare 元, with its hedge: 收報72.35元, 跌穿50元, 成交逾120億元.
_PLAIN_YUAN = re.compile(r"(?:跌穿|升穿|跌破|升破|[約约逾近超])?[0-9.,]+ ?[萬万億亿]{0,2} ?元")


_MAGNITUDE_IN = re.compile("[萬万億亿]")
# A market's amount a few words after its name: 市值重上3.4萬億元, 成交額回升至985億元.
_MARKET_AMOUNT = re.compile("(?:市值|成交額|成交额)[^0-9，,。；;]{1,4}\\Z")
_SHARE_PRICE = re.compile("股價|股价")
_HONG_KONG_MARKET = re.compile("港股|港交所|恒指|恆指|恒生指數|恒生指数|香港上市|在港上市")


def _price_in_listing_currency(norm, figures, sentence_breaks, region) -> None:
    """Give a share price (中芯（00981）升6.2%，收報72.35元) the currency of the exchange its
    stock code names, or Hong Kong's in a Hong Kong story or beside 港股, whatever place the
    sentence names: the company's home is not where its shares trade."""
    for index, figure in enumerate(figures):
        if not _PLAIN_YUAN.fullmatch(norm, figure.start, figure.end):
            continue
        sentence_start, sentence_end = _sentence_of(sentence_breaks, figure.start)
        codes = list(_STOCK_CODE.finditer(norm, sentence_start, figure.start))
        magnitude = _MAGNITUDE_IN.search(norm, figure.start, figure.end)
        priced = _PRICE_WORDS.search(
            norm, max(0, figure.start - 4), figure.start
        ) or _MARKET_AMOUNT.search(norm, max(0, figure.start - 8), figure.start)
        # 比亞迪股份（01211）股價…較高位回落逾100元: beside a stock code and its 股價, a
        # plain amount is a price too.
        quoted = codes and not magnitude and _SHARE_PRICE.search(norm, sentence_start, figure.start)
        if not priced and not quoted:
            continue
        if priced and priced[0].strip() == "至" and magnitude:
            continue  # 淨利潤按年下跌51%至62億元: an amount fell to, not a share's price
        if codes:
            exchange = codes[-1].lastgroup
        elif region == "hk" or _HONG_KONG_MARKET.search(norm, sentence_start, sentence_end):
            # 商湯今日收報1.72元 in a Hong Kong story, or beside 港股: traded in Hong Kong.
            exchange = "hk"
        else:
            continue
        if exchange == "local":
            # Four bare digits: the region's exchange, Hong Kong's or Taiwan's.
            exchange = region if region in ("hk", "tw") else None
        listed = _REGION_CURRENCY.get(exchange or "")
        if listed and listed != figure.unit:
            figures[index] = replace(figure, unit=listed)


def _sentence_of(sentence_breaks, position: int) -> tuple[int, int]:
    """Return where the sentence holding `position` starts and ends (a very large end for the
    last sentence, which no break ends)."""
    index = bisect.bisect_left(sentence_breaks, position)
    start = sentence_breaks[index - 1] + 1 if index else 0
    end = sentence_breaks[index] if index < len(sentence_breaks) else 1 << 30
    return start, end


def _marker_years(norm: str, marker) -> list[int]:
    """Return each year a year marker lists (2023年和2024年: 2023, 2024; 112年至114年: 2023,
    2024, 2025), or [] where it does not list them plainly."""
    start, end, first, last = marker[:4]
    written = re.findall(r"[0-9]+", norm[start:end])
    if not written or len({len(w) for w in written}) != 1:
        return []
    offset = first - int(written[0])
    years = [int(w) + offset for w in written]
    if offset not in (0, 1911) or years[-1] != last:
        return []
    if len(years) == 2 and _YEAR_RANGE_JOINT.search(norm, start, end):
        return list(range(first, last + 1))
    return years


def _share_out_periods(norm, figures, markers, sentence_breaks) -> None:
    """Give each figure of a list after 分别 its own year of the sentence's list of years:
    2023年和2024年，營收分别為86.2億元和112.5億元 (86.2億元 2023's, 112.5億元 2024's)."""
    for word in _SHARED_OUT.finditer(norm):
        sentence_start, sentence_end = _sentence_of(sentence_breaks, word.start())
        run = []
        for index, figure in enumerate(figures):
            if figure.start < word.end() or figure.start >= sentence_end:
                continue
            if not run:
                if figure.start - word.end() > 12:
                    break
            elif not _FIGURE_LIST_JOINT.search(norm[figures[run[-1]].end : figure.start]):
                break
            elif figure.unit != figures[run[0]].unit:
                break  # 營收分別為…和4.38億元，三年累計虧損: the list ended at its comma
            run.append(index)
        if len(run) < 2:
            continue
        position = bisect.bisect_left(markers, (word.start(),)) - 1
        if position < 0 or markers[position][0] < sentence_start:
            continue
        marker = markers[position]
        years = _marker_years(norm, marker)
        first_figure = figures[run[0]]
        if len(years) != len(run) or (
            first_figure.period_start,
            first_figure.period_end,
        ) != (marker[2], marker[3]):
            continue
        for index, year in zip(run, years, strict=True):
            figures[index] = replace(figures[index], period_start=year, period_end=year)


def _average_over_years(norm, figures, markers, sentence_breaks) -> None:
    """Give a yearly average rate the span of the years its sentence goes from and to:
    從2018年的1340億元增長到2023年的3800億元，年均增速超過20% is 2018 to 2023's rate."""
    for index, figure in enumerate(figures):
        if figure.unit != "percent" or not _AVERAGE_RATE.search(
            norm, max(0, figure.start - 8), figure.start
        ):
            continue
        sentence_start, _ = _sentence_of(sentence_breaks, figure.start)
        position = bisect.bisect_left(markers, (figure.start,))
        before = [m for m in markers[:position] if m[0] >= sentence_start and m[2] is not None]
        if len(before) < 2:
            continue
        first, last = min(m[2] for m in before), max(m[3] for m in before)
        if (figure.period_start, figure.period_end) != (first, last):
            figures[index] = replace(figure, period_start=first, period_end=last)


def parse_figure(text: str, *, region: str | None = None) -> ParsedFigure | None:
    """Return the single figure a short typed span states, or None when it states none."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped or len(stripped) > 200:
        return None
    offset = text.index(stripped)
    figures = parse_figures(stripped, region=region)
    if len(figures) != 1:
        bare = _bare_number(stripped)
        if bare is None or figures:
            return None
        figures = [bare]
    figure = figures[0]
    leftover = stripped[: figure.start] + stripped[figure.end :]
    if leftover.strip(" 。.，,的達达高僅仅共"):
        return None
    return ParsedFigure(
        figure.start + offset,
        figure.end + offset,
        figure.text,
        figure.value,
        figure.unit,
        figure.hedge,
        figure.lower,
        figure.upper,
        figure.period_start,
        figure.period_end,
    )


def is_length_of_time(figure: ParsedFigure) -> bool:
    """Whether a figure read is a stretch of time (未來5年, 三年內, 半年以上), by the duration
    units the reading itself knows, its hedge words after it set aside."""
    if figure.unit != "other":
        return False
    text = _normalised(figure.text).rstrip()
    return text.endswith(_DURATION_WORDS) or any(
        text.endswith(hedge) and text[: -len(hedge)].rstrip().endswith(_DURATION_WORDS)
        for hedge in _POST_HEDGES
    )


# Every word or sign that writes a currency, the bare 元 and the spoken 蚊 among them.
_CURRENCY_WRITTEN = re.compile(
    _alternation(
        {
            *_PREFIX_CURRENCIES,
            *(w for w, kind in _UNIT_KINDS.items() if kind == "yuan" or kind in _CURRENCY_WORDS),
        }
    )
)


def writes_its_unit(figure: ParsedFigure) -> bool:
    """Whether a figure read writes its unit in its own span, rather than taking one for want
    of any: a bare magnitude (200億, 約30萬) takes the currency of the story's place, and a
    bare number typed alone (1,234, 兩千) is read as a count; neither writes a unit."""
    norm = _normalised(figure.text)
    if figure.unit in _CURRENCY_WORDS and figure.unit != "other":
        return _CURRENCY_WRITTEN.search(norm) is not None
    if figure.unit == "count":
        return _NUMBER_AT.fullmatch(norm.strip()) is None
    return True


def text_period(text: str, *, region: str | None = None) -> tuple[int | None, int | None]:
    """Return the first year, or first and last year, a text names outside titles."""
    if not isinstance(text, str) or not text:
        return None, None
    norm = _normalised(text)
    tw_years = region == "tw" or (region is None and _looks_traditional(norm))
    markers, _, _ = _periods_and_blocks(norm, tw_years)
    return next(((m[2], m[3]) for m in markers if m[2] is not None), (None, None))


def _bare_number(text: str) -> ParsedFigure | None:
    """Return a plain typed number ("1,234", "12.5", "兩千") as an exact count."""
    norm = _normalised(text)
    match = _NUMBER_AT.fullmatch(norm)
    value = _number(norm) if match else None
    if value is None:
        return None
    return ParsedFigure(0, len(text), text, value, "count", "exact", None, None, None, None)


def _looks_traditional(norm: str) -> bool:
    sample = norm[:5000]
    return sum(c in _TRADITIONAL for c in sample) > sum(c in _SIMPLIFIED for c in sample)


def _periods_and_blocks(norm: str, tw_years: bool, region_tw: bool = False):
    """Return the year markers (start, end, first, last) and the spans no figure starts in."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(norm)]
    title_starts = [t[0] for t in titles]

    def in_title(position: int) -> bool:
        index = bisect.bisect_right(title_starts, position) - 1
        return index >= 0 and titles[index][0] <= position < titles[index][1]

    markers: list[tuple[int, int, int | None, int | None]] = []
    blocked: list[tuple[int, int]] = list(titles)
    for match in _YEAR.finditer(norm):
        first = _year_value(match["a"])
        last = _year_value(match["b"], first) if match["b"] else first
        if first is None or last is None or last < first:
            last = first
        if match["dec"] and first is not None:
            last = first + 9
        blocked.append(match.span())
        if first is not None and not in_title(match.start()):
            markers.append((match.start(), match.end(), first, last))
    for match in _YEAR_LABEL.finditer(norm):
        blocked.append(match.span())
        if not in_title(match.start()):
            year = int(match["a"] or match["b"])
            markers.append((match.start(), match.end(), year, year))
    for match in _ISO_DATE.finditer(norm):
        blocked.append(match.span())
        if not in_title(match.start()):
            year = int(match["a"])
            markers.append((match.start(), match.end(), year, year))
    if tw_years:
        roc = [*_ROC_YEAR.finditer(norm), *_ROC_DATE.finditer(norm)]
        if region_tw:
            roc += _ROC_YEAR_TW.finditer(norm)
        for match in roc:
            first = _number(match.groupdict().get("a") or match["b"])
            last = _number(match["c"]) if match.groupdict().get("c") else first
            if first is None or last is None or not 1 <= first <= 200:
                continue
            blocked.append(match.span())
            markers.append((match.start(), match.end(), int(first) + 1911, int(last) + 1911))
    for match in _RELATIVE_YEAR.finditer(norm):
        blocked.append(match.span())
        # 同年 and 次年 are told from the year named last, resolved once the years are in order
        later = _YEAR_AFTER_NAMED.get(match[0])
        markers.append((match.start(), match.end(), None, later))
    for pattern in (_ORDINAL, _TIME_OF_DAY, _URL, _IDIOMS):
        blocked.extend(m.span() for m in pattern.finditer(norm))
    blocked.sort()
    merged: list[tuple[int, int]] = []
    for start, end in blocked:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    # 較113年度, 比去年, 為2019年的2.5倍: a base of comparison, not the year a figure is for,
    # save the base's own amount written after it (比114年度的224億元).
    bases = [m for m in markers if _is_base_of_comparison(norm, m[0], m[1])]
    markers = [m for m in markers if m not in bases]
    # 未來五年, 過去三年: years counted from the article's date, which its figures share.
    markers += [(m.start(), m.end(), None, None) for m in _RELATIVE_SPAN.finditer(norm)]
    markers.sort(key=lambda marker: (marker[0], marker[1]))
    return _joined_years(norm, _years_told_from_the_last(norm, markers)), merged, bases


def _years_told_from_the_last(norm: str, markers: list) -> list:
    """Give 同年 the year its sentence named before it, and 次年 the year after it (2022年他
    創辦深度視界，同年獲得560萬美元): markers of no year (start, end, None, offset) until now.
    Told in a later sentence, they are left without a year, as the sentence states none."""
    told, last, last_end = [], None, 0
    for marker in markers:
        if marker[2] is None and marker[3] is not None:
            same = last is not None and not _SENTENCE_BREAK.search(norm, last_end, marker[0])
            year = last + marker[3] if same else None
            marker = (marker[0], marker[1], year, year)
        elif marker[2] is not None:
            last, last_end = marker[3], marker[1]
        told.append(marker)
    return told


def _joined_years(norm: str, markers: list) -> list:
    """Join the two ends of a span of years written as two years (自114學年度起至117學年度止,
    2025年起至2028年) into one marker from the first to the last."""
    joined: list = []
    for marker in markers:
        if (
            joined
            and joined[-1][2] is not None
            and marker[2] is not None
            and joined[-1][2] <= marker[2]
            and _YEARS_JOINT.fullmatch(norm, joined[-1][1], marker[0])
        ):
            joined[-1] = (joined[-1][0], marker[1], joined[-1][2], marker[3])
        else:
            joined.append(marker)
    return joined


def _is_base_of_comparison(norm: str, start: int, end: int) -> bool:
    """Whether the year at [start, end) is what a figure is compared with, not its own."""
    before = norm[max(0, start - 1) : start]
    if before in _COMPARED:
        return True
    if before == "其":
        start -= 1  # 超過其2024年全年的九成
    return norm[max(0, start - 3) : start].endswith(_SHARE_OF_VERBS) and bool(
        _MULTIPLE_OF.match(norm, end)
    )


def _year_value(written: str | None, first: int | None = None) -> int | None:
    if not written:
        return None
    if written.isascii():
        year = int(written)
        if year < 100 and first is not None:  # 2023/24年度
            year += first // 100 * 100
        return year
    digits = "".join(str(_DIGIT_VALUES.get(c, "")) for c in written)
    return int(digits) if len(digits) == 4 else None


_COMPARATIVE_LABEL = re.compile(r"[^）)：:，,]{0,6}[：:]")


def _bracket_depth(norm: str, start: int, end: int) -> int:
    """Return the brackets opened less those closed in norm[start:end]: below zero where
    [start, end) leaves a bracket, above where it enters one."""
    stretch = norm[start:end]
    return stretch.count("（") + stretch.count("(") - stretch.count("）") - stretch.count(")")


def _period(
    markers, sentence_breaks, clause_breaks, start: int, end: int, norm: str
) -> tuple[int | None, int | None]:
    """Return the year or years the sentence gives the figure: the nearest before, else after."""
    sentence_start, sentence_end = _sentence_of(sentence_breaks, start)
    if norm[max(0, start - 1) : start] in ("由", "從", "从") and _CHANGED_TO.match(norm, end):
        # 在2030年把比率由0.99%提高至1.5%: the level a change starts from is not of the year
        # the change reaches it by.
        return None, None
    position = bisect.bisect_left(markers, (start,))
    before = position - 1
    while before >= 0 and markers[before][0] >= sentence_start:
        marker = markers[before]
        # 2025年…將從2023年的15%提升至25%: the year a change starts from is not the year
        # of the figure it reaches.
        from_start = norm[max(0, marker[0] - 1) : marker[0]] in ("從", "从") and bool(
            _CHANGED_TO.search(norm, marker[1], start)
        )
        # 每股0.82元（2024年：0.67元），末期股息0.25元: a comparative's year in brackets is
        # the bracket's own.
        if not from_start and not _bracket_depth(norm, marker[1], start) < 0:
            return marker[2], marker[3]
        before -= 1
    if position and markers[position - 1][0] >= sentence_start:
        return None, None
    while position < len(markers) and markers[position][0] < end:
        position += 1
    # A year after the figure counts only within its clause (2奈米預計115年量產), and not
    # for the level a change starts from: 由目前約650兆瓦增至2030年的1.1吉瓦.
    if (
        position < len(markers)
        and markers[position][0] < sentence_end
        and not _CHANGED_TO.search(norm, end, markers[position][0])
        # 0.35港元（2024年同期：0.30港元）: the year of a comparative in brackets after
        # it, where 12%（2019年數據） is the figure's own.
        and not (
            _bracket_depth(norm, end, markers[position][0]) > 0
            and _COMPARATIVE_LABEL.match(norm, markers[position][1])
        )
    ):
        if not clause_breaks or bisect.bisect_left(clause_breaks, end) == bisect.bisect_left(
            clause_breaks, markers[position][0]
        ):
            return markers[position][2], markers[position][3]
    return None, None


def _read(norm, match, floor, currency, is_blocked):
    """Return (start, end, value, unit, hedge, lower, upper) for a scanned number, or None."""
    kind = match.lastgroup
    start, end = match.start(), match.end()
    if kind == "pct":
        neighbours = _NEIGHBOUR_NUMERALS.fullmatch(match["pn"])
        if neighbours:  # 百分之八九十: eighty to ninety percent
            rough = _quantity(norm, match.start("pn"), match.end("pn"))
            if rough is None:
                return None
            value, upper = rough.value, rough.upper
        else:
            value, upper = _number(match["pn"]), None
        if value is None:
            return None
        first = _Quantity(start, end, match[0], value, "percent", Decimal(1), None, False, upper)
    elif kind == "frac":
        share = _fraction(match)
        if share is None:
            return None
        first = _Quantity(start, end, match[0], *share, Decimal(1), None, False)
    elif kind == "half":
        word = match[0]
        hedge = _HALF_HEDGES.get(word[0])
        first = _Quantity(start, end, word, Decimal(50), "percent", Decimal(1), hedge, False)
    elif kind == "halfpoint":
        first = _Quantity(
            start, end, match[0], Decimal("0.5"), "percentage_point", Decimal(1), None, False
        )
    elif kind == "halftime":
        value = Decimal("1.5" if match[0][0] in "個个" else "0.5")
        first = _Quantity(start, end, match[0], value, "duration", Decimal(1), None, False)
        within = _WITHIN.match(norm, end)
        if within:  # 半年內: within half a year
            first.hedge, first.end = "at_most", within.end()
    if kind != "num":
        _take_post_hedge(norm, first)
    else:
        first = _quantity(norm, start, end)
        if first is None:
            return None
        if _rejected_by_left(norm, start, first, floor):
            return None

    # A range: the first end borrows the unit and magnitude of the second when it has none.
    second = None
    if first.kind not in ("reject",) and kind == "num":
        joint = _RANGE.match(norm, first.end) or _rough_list(norm, first.start)
        if joint and not is_blocked(joint.end()):
            number = _NUMBER_AT.match(norm, joint.end())
            second = _quantity(norm, number.start(), number.end()) if number else None
            signed = first.kind is None and norm[first.start - 1 : first.start] == "$"
            if (
                second is not None
                and "-" not in joint[0]
                and first.kind in _MONEY_KINDS | {"other"}
                and _MOVED_BY.search(norm, max(0, first.start - 2), first.start)
            ):
                second = None  # 上漲2.5元至298.5元: a move, then the price it reached
            if second is not None and not (
                _range_fits(first, second)
                or (signed and second.kind is None and first.value < second.value)
            ):
                second = None

    elif kind == "frac":
        # 三分之一到二分之一: a range of shares
        joint = _RANGE.match(norm, first.end)
        other = _SCAN.match(norm, joint.end()) if joint and not is_blocked(joint.end()) else None
        share = _fraction(other) if other is not None and other.lastgroup == "frac" else None
        if share is not None and share[1] == first.kind and share[0] > first.value:
            second = _Quantity(
                other.start(), other.end(), other[0], *share, Decimal(1), None, False
            )

    if first.kind == "reject":
        return None
    if (
        first.core in ("一", "壹")
        and first.kind == "count"
        and not _word_before(norm, start, floor, _ONE_COUNTED_AFTER, 4)
    ):
        return None  # 一個, 一家: an article, unless a hedge or 僅 makes it a count
    if first.kind is None and not first.ends_in_magnitude and second is None:
        # A bare number is a figure only after a currency sign or word (US$100, 人民幣300),
        # or as a measured value: PUE值低於1.2, 指數降至1.25以下.
        before = norm[max(floor, first.start - 2) : first.start].rstrip(" ")
        if not before or before[-1] not in _PREFIX_LAST_CHARS:
            # The name a change of value starts from reaches over its first value: PUE由1.6降至1.25.
            reach = max(
                0 if _CHANGE_OF_VALUE.fullmatch(norm, floor, first.start) else floor,
                first.start - 16,
            )
            if not any(c.isdigit() for c in first.core) or not _MEASURED_VALUE.search(
                norm, reach, first.start
            ):
                return None
            first.kind = "other"
            _take_post_hedge(norm, first)
    if second is not None:
        if first.kind is None:
            first.kind = second.kind
            if not first.ends_in_magnitude:
                first.value *= second.scale
            first.ends_in_magnitude = first.ends_in_magnitude or second.ends_in_magnitude
        first.hedge = None
        last_end = second.end
    else:
        last_end = first.end

    # Words and currency before the number.
    left = first.start
    prefix_unit = None
    prefix = _word_before(norm, left, floor, _PREFIX_CURRENCIES, 3)
    if prefix:
        prefix_unit = _prefix_currency(prefix[0], currency)
        left -= prefix[1]
    pre_hedge = near_hedge = None
    hedge_word = _word_before(norm, left, floor, _PRE_HEDGE_OF, 4)
    if hedge_word:
        word, length = hedge_word
        before = norm[left - length - 1] if left - length > 0 else ""
        glued = (
            (word == "近" and before and before in "最附靠就將将接遠远")
            or (
                # 近三年來: the last three years, not nearly three
                word == "近" and first.kind == "duration" and norm.startswith(_SINCE, last_end)
            )
            or (
                word.startswith(("約", "约"))
                and before in _COMPOUND_BEFORE_ABOUT
                and not _ends_word_before_about(norm, left - length - 1)
            )
            # 找不到一位: cannot find one, not fewer than one
            or (
                word == "不到"
                and bool(before)
                and before in _VERB_BEFORE_CANNOT
                # 費用不到, 使用不到: a cost, a use of less than it
                and not (
                    before in "用"
                    and norm[left - length - 2 : left - length - 1] in _NOUN_BEFORE_USE
                )
            )
            # 過 alone hedges only where it begins no word: 過十萬, not 通過, 不過, 經過
            or (word in ("過", "过") and bool(before) and before in _GLUED_BEFORE_OVER)
            # 破 alone is past only where it begins no word: 日活破千萬, not 打破, 攻破
            or (word == "破" and bool(before) and before in _GLUED_BEFORE_BREAK)
            # 降低至50毫秒: lowered to, not as low as
            or (word == "低至" and bool(before) and before in "降減减調调")
        )
        if word.startswith("超") and (
            norm[max(0, left - length - 1) : left - length] in _NET_BEFORE_OVER
            or _TRADE_BALANCE_BEFORE_OVER.search(norm, max(0, left - length - 3), left - length)
        ):
            # 賣超, 買超, 出超: net selling, net buying, a surplus; in 賣超逾300億元 the
            # hedge is 逾 alone.
            glued = True
            rest = word[1:]
            if rest in _PRE_HEDGE_OF:
                pre_hedge = near_hedge = _PRE_HEDGE_OF[rest]
                left -= len(rest)
        if not glued:
            pre_hedge = near_hedge = _PRE_HEDGE_OF[word]
            left -= length
            if prefix is None:
                # 新台幣約35億元: the currency written before the hedge.
                prefix = _word_before(norm, left, floor, _PREFIX_CURRENCIES, 3)
                if prefix:
                    prefix_unit = _prefix_currency(prefix[0], currency)
                    left -= prefix[1]
    elif norm.endswith(_EQUIVALENT, floor, left):
        # 逾等值1萬美元: a hedge before "the equivalent of" bounds the amount it is of.
        equivalent = next(w for w in _EQUIVALENT if norm.endswith(w, floor, left))
        hedge_word = _word_before(norm, left - len(equivalent), floor, _PRE_HEDGE_OF, 4)
        if hedge_word:
            pre_hedge = _PRE_HEDGE_OF[hedge_word[0]]

    if kind == "num":
        unit = _final_unit(norm, first, prefix_unit, currency, near_hedge, pre_hedge, left, floor)
        if unit is None:
            return None
        value, scale_unit = unit
        sign = _sign(norm, left, floor, scale_unit) if second is None else None
        if sign is not None and left == first.start:
            # 年增率-5.1%, 為負1.8%: a fall, its sign kept; +65.6%: a rise, its sign in the span
            left, value = left - len(sign), -value if sign in _MINUS_SIGNS else value
    else:
        # A length of time is a measure like any other (半年: half a year).
        value, scale_unit = first.value, "other" if first.kind == "duration" else first.kind
    # A hedge touching the number wins over one some words before it: 约占…的两成以上.
    if pre_hedge is None and first.hedge is None:
        reach = max(floor, left - 24)
        far = _FAR_HEDGE.search(norm[reach:left])
        if far and _far_hedge_holds(norm, reach + far.start(), far):
            pre_hedge = _PRE_HEDGE_OF[far[1]]
    if second is None and first.upper is not None:
        upper = value * first.upper / first.value  # 兩三個: from two to three
        return left, last_end, _tidy(value), scale_unit, "range", _tidy(value), _tidy(upper)
    if second is not None:
        upper = second.value * (Decimal(10) if second.kind == "tenth" else Decimal(1))
        if first.kind == "permille" or second.kind == "permille":
            upper = second.value / 10
        return left, last_end, _tidy(value), scale_unit, "range", _tidy(value), _tidy(upper)

    hedge = pre_hedge or first.hedge or "exact"
    lower = value if hedge in ("more_than", "at_least") else None
    upper = value if hedge in ("less_than", "at_most") else None
    return (
        left,
        last_end,
        _tidy(value),
        scale_unit,
        hedge,
        None if lower is None else _tidy(lower),
        None if upper is None else _tidy(upper),
    )


def _fraction(match: re.Match) -> tuple[Decimal, str] | None:
    """Return the share a scanned fraction writes and its unit, or None if it writes none."""
    denominator, numerator = _number(match["fd"]), _number(match["fn"])
    if not denominator or numerator is None:
        return None
    share = _divide(numerator, denominator)
    # 千分之六點八 and 萬分之五 are shares of a whole written as ‰ is: percent.
    if denominator in (1000, 10000):
        return share * 100, "percent"
    return share, "times"


def _prefix_currency(prefix: str, place_currency: str) -> str:
    """Return the currency a sign or word before a number names: $ alone is Hong Kong's
    dollar in a Hong Kong story (售價$3,800), the US dollar elsewhere."""
    if prefix == "$" and place_currency == "HKD":
        return "HKD"
    return _PREFIX_CURRENCIES[prefix]


def _sign(norm: str, start: int, floor: int, unit: str) -> str | None:
    """Return the sign written before the number at `start`, or None: a minus for a change
    or a loss (-5.1%, -3.2億元, 負1.8%), a plus for a rise (+65.6%), but not a count's, a
    multiple's or a dash after a name (GPT-4)."""
    if start - 1 < floor or unit in ("count", "times", "nm"):
        return None
    sign = norm[start - 1]
    if sign in "負负":
        # 正負3個百分點 is plus or minus; 抱負, 自負, 欠負 are other words.
        return sign if start - 1 == floor or norm[start - 2] not in "正抱自欠" else None
    if sign not in "-+":
        return None
    before = norm[start - 2 : start - 1] if start >= 2 else ""
    named = bool(before) and before.isascii() and (before.isalnum() or before in "-+.)")
    return None if named else sign


_SHARE_AHEAD = re.compile(rf"百分之|[0-9.]+ ?[%％]|[{_CN_DIGITS}]成|一半")


def _counted_in(clause: str) -> bool:
    """Whether the clause before a bare magnitude names what it counts (用戶逾百萬, 付費用戶
    逾百萬) rather than money (訂單金額破萬, 用戶付費逾百萬): the last of the two words."""
    counted = [m.end() for m in _COUNT_CONTEXT.finditer(clause)]
    paid = [m.end() for m in _PAID_CONTEXT.finditer(clause)]
    return bool(counted) and (not paid or counted[-1] > paid[-1])


def _far_hedge_holds(norm: str, start: int, far: re.Match) -> bool:
    """Whether a hedge a few words before a number (`_FAR_HEDGE`, at `start`) is its hedge."""
    word, between = far[1], far[0][len(far[1]) :]
    if _CLAUSE_BREAK.search(between) or _HEDGE_REACH_ENDS.search(between):
        return False
    words_between = between.strip()
    if words_between.startswith("率"):
        return False  # 就業不足率為1.6%: the hedge word begins a rate's name
    if words_between.startswith(_RELATIVE_SPAN_WORDS):
        return False  # 低於過去5年平均的20倍: the hedge is the later figure's
    if len(words_between) > 4 and "的" not in words_between and "嘅" not in words_between:
        # A cap of three characters or more reaches over the whole a share is of:
        # 不超過計畫總經費百分之五十.
        share_of_whole = (
            len(word) >= 3
            and len(words_between) <= 6
            and bool(_SHARE_AHEAD.match(norm, start + len(far[0])))
        )
        if not words_between.startswith(_BOUNDING_VERBS + _NEEDING) and not share_of_whole:
            return False
    if len(words_between) == 4 and "的" not in words_between and len(word) < 3:
        # Only a hedge of three characters or more reaches over a noun of four (不超過合同
        # 金額30%); 就業不足率維持在1.6% is a rate's name. A floor or cap reaches over a
        # verb of its own: 至少需要投入20億元.
        if not (word in ("約", "约") and words_between[0] in "佔占") and not (
            word in _FLOOR_AND_CAP and words_between.startswith(_BOUNDING_VERBS + _NEEDING)
        ):
            return False
    if word in _CAPS and "的" in between:
        return False  # 上限的一半: half the cap, not a cap of half
    if word.endswith(("過", "过")) and between.startswith("去"):
        return False  # 總額超過去十年總和: 超 and 過去 (the past), no hedge of 十年
    if word.startswith(("約", "约")):
        # 合約為期四年: a contract's term, not about four years
        before = norm[start - 1 : start]
        if before in _COMPOUND_BEFORE_ABOUT and not _ends_word_before_about(norm, start - 1):
            return False
        return word not in ("約", "约") or between[:1] not in _COMPOUND_AFTER_ABOUT
    if word in ("最多", "最高"):
        # 最多可獲…的70% bounds the share; in 最多人使用的3款 or 最高法院的3名 it means "most"
        # or "supreme" and bounds nothing.
        return between.startswith(_BOUNDING_VERBS)
    return True


def _take_post_hedge(norm: str, quantity: _Quantity) -> None:
    """Widen `quantity` over a hedge written after it (70%左右, 1.25以下) and take its hedge.

    多 after a number is read with the number itself (2500多個), never here; after a share
    written out (百分之三十多) it is the share's.
    """
    if quantity.kind == "percent" and norm.startswith(_MORE_AFTER, quantity.end):
        quantity.hedge = quantity.hedge or "more_than"
        quantity.end += 1
        return
    post = _POST_HEDGE.match(norm, quantity.end)
    # 內 (within) bounds a length of time or a distance, 起 (from) a price: neither a share
    # (過半內地企業, 一半內容).
    if post and post[1] not in _MEASURE_ONLY_HEDGES:
        quantity.hedge = quantity.hedge or _POST_HEDGES[post[1]]
        quantity.end = post.end()


def _word_before(norm: str, position: int, floor: int, words, longest: int):
    """Return (word, length taken) for the longest of the words ending at position, or None."""
    end = position - 1 if norm[position - 1 : position] == " " else position
    for size in range(longest, 0, -1):
        if end - size >= floor and norm[end - size : end] in words:
            return norm[end - size : end], position - end + size
    return None


# What joins the items of a list of amounts that write their unit once, at the end.
_LIST_JOINT = re.compile(r" ?(?:、|以及|及|和|與|与|或) ?")


def _listed_unit(norm: str, position: int, currency: str) -> str | None:
    """Return the currency that a list's last amount writes for all of them, or None.

    分別投入約7億、18億及30億美元: each bare amount of the list is in the 美元 of the last.
    """
    for _ in range(6):
        joint = _LIST_JOINT.match(norm, position)
        number = joint and _NUMBER_AT.match(norm, joint.end())
        quantity = number and _quantity(norm, number.start(), number.end())
        if not quantity:
            return None
        if quantity.kind == "yuan":
            return currency
        if quantity.kind in _CURRENCY_WORDS:
            return quantity.kind
        if quantity.kind is not None or not quantity.ends_in_magnitude:
            return None
        position = quantity.end
    return None


def _final_unit(norm, first, prefix_unit, currency, near_hedge, pre_hedge, left, floor):
    """Return (value, unit) once the number's kind is known to make a figure, else None."""
    kind = first.kind
    core = first.core.replace(" ", "")
    has_digit = any(c.isdigit() or c in _DIGIT_VALUES or c in "十拾" for c in core)
    pure_magnitude = not has_digit
    lone_one = core in ("一", "壹")
    value = first.value
    if kind == "reject":
        return None
    bracketed = (
        left > 0 and norm[left - 1] in "（(" and norm[first.end : first.end + 1] in ("）", ")")
    )
    if pure_magnitude and bracketed:
        return None  # 市場規模（億元）: a table's unit, no amount
    if kind is None:
        if prefix_unit:
            return value, prefix_unit
        if first.ends_in_magnitude and (has_digit or (pre_hedge and len(core) <= 2)):
            listed = _listed_unit(norm, first.end, currency)
            if listed:
                return value, listed
            # The clause before the number, over a figure in it: 訂單10分鐘破萬 counts orders.
            clause = norm[max(0, left - 20) : left]
            breaks = list(_CLAUSE_BREAK.finditer(clause))
            clause = clause[breaks[-1].end() :] if breaks else clause
            return value, ("count" if _counted_in(clause) else currency)
        return None
    if kind == "latin_magnitude":
        # 月薪28K: pay, in the place's currency; 128K上下文: tokens counted
        paid = _PAY_CONTEXT.search(norm, max(0, left - 8), left)
        return value, prefix_unit or (currency if paid else "count")
    if kind == "yuan":
        if pure_magnitude and norm[first.end : first.end + 1] in _PRICE_CLASS_NOUNS:
            return None  # 千元机, 万元户, 百元店: a class of things by price, not an amount
        if pure_magnitude and norm[first.end : first.end + 1] in ("級", "级"):
            return None  # 萬億元級產業集群: a class of industries by size, not an amount
        if pure_magnitude and _PER_OUTPUT.match(norm, first.end):
            return None  # 萬元國內生產總值用水量: water used per ten thousand yuan of output
        return value, prefix_unit or currency
    if kind in UNITS:
        if pure_magnitude and kind in ("other", "nm", "percent", "percentage_point"):
            return None
        if pure_magnitude and kind == "count" and core not in _BARE_MAGNITUDE_COUNTS:
            return None
        # 一個, 一家: an article, unless a hedge, 僅 or a range (一到兩次) makes it a count
        if lone_one and kind == "count" and not _RANGE.match(norm, first.end):
            if near_hedge is None and not _EMPHASIS.search(norm[max(floor, left - 4) : left]):
                return None
        if pure_magnitude and kind == "count" and norm[first.end - 1 : first.end] == "人":
            # 千人計劃, 萬人空巷: a name or a saying, unless a hedge counts it (超过千人).
            if near_hedge is None:
                return None
        if (
            kind == "count"
            and norm[first.end - 1 : first.end] in "層层"
            and norm[max(0, left - 1) : left] in ("號", "号")
        ):
            return None  # 世紀大道100號58層: a floor of an address
        if (
            kind == "count"
            and norm[first.end - 1 : first.end] == "次"
            and norm.startswith(_OPERATIONS, first.end)
        ):
            return value, "other"  # 每秒35兆次運算: operations, as 京次 are
        return value, kind
    if kind == "tenth":
        if pure_magnitude:
            return None
        return value * 10, "percent"
    if kind == "permille":
        return value / 10, "percent"
    if kind == "basis_point":
        return None if pure_magnitude else (value / 100, "percentage_point")
    if kind == "rate_point":
        clause = _CLAUSE_BREAK.split(norm[max(0, left - 16) : left])[-1]
        if pure_magnitude or not _RATE_CONTEXT.search(clause):
            return None
        # 加息0.25厘 moves the rate by points; 息率5厘 is the rate, five percent.
        # 下調至5.25厘 names the level it moved to.
        moved = _RATE_MOVE.search(norm[max(floor, left - 3) : left])
        to_level = norm[max(floor, left - 1) : left] in ("至", "到")
        return value, ("percentage_point" if moved and not to_level else "percent")
    if kind == "duration":
        if pure_magnitude:
            return None
        if (
            lone_one
            and value == 1
            and norm[left - 1 : left] in _ONE_BLOCKERS
            and not _RANGE.match(norm, first.end)
        ):
            # 有一年: once, where 還有一年半 is a length of time and 還有一到兩年 a range of them
            return None
        return value, "other"
    if kind == "noun":
        if any(c.isdigit() for c in core) or (first.ends_in_magnitude and has_digit):
            return value, "count"
        if pure_magnitude and len(core) >= 2 and core[-1] in "亿億万萬":
            # 千億參數, 百萬用戶: a bare magnitude counting them; not 千兆用戶 (gigabit
            # users) or 千億參數級模型, a class of model
            return None if norm[first.end : first.end + 1] in "級级" else (value, "count")
        return None
    if kind == "magnitude_measure":
        if first.ends_in_magnitude and has_digit:
            return value, "other"
        # 最高氣溫35.2度: degrees of a temperature named just before
        if has_digit and _TEMPERATURE.search(norm, max(floor, left - 8), left):
            return value, "other"
        return None
    return None


def _range_fits(first: _Quantity, second: _Quantity) -> bool:
    if first.kind == "rate_point":
        return False  # 下調0.125厘至5.25厘: by a step, to a rate
    if second.kind in (None, "reject") and not second.ends_in_magnitude:
        return False
    if first.kind is not None and first.kind != second.kind:
        return False
    low = first.value if first.ends_in_magnitude or first.kind else first.value * second.scale
    return low < second.value


def _quantity(norm: str, start: int, end: int) -> _Quantity | None:
    """Read the number at [start, end) and the unit after it; None when it cannot be a figure."""
    core = norm[start:end]
    if len(core) > _MAX_NUMBER_CHARS:
        return None
    stripped = core.replace(" ", "")
    upper = None
    neighbours = _NEIGHBOUR_NUMERALS.fullmatch(stripped)
    if neighbours:
        if not _neighbouring(neighbours):
            return None  # 西九一個: numerals side by side that count nothing
        tens, rest = neighbours["tens"] or "", neighbours["rest"]
        value = _number(tens + neighbours["a"] + rest)
        upper = _number(tens + neighbours["b"] + rest)
    else:
        value = _number(core)
    if value is None:
        return None
    last = stripped[-1]
    ends_in_magnitude = last in _MAG_VALUES
    scale = Decimal(_MAG_VALUES[last]) if ends_in_magnitude else Decimal(1)
    shortened = _SHORTENED.fullmatch(stripped)
    if shortened:
        # 兩萬五, 萬五, 三萬五千: a magnitude and the digits after it, as a bare magnitude
        # reads (25,000, 15,000, 35,000); a range's first end borrows the magnitude.
        ends_in_magnitude = True
        scale = Decimal(_MAG_VALUES[shortened["mag"]])
    if stripped[0] in "零〇○" and not stripped.startswith(("零點", "零点", "〇點", "〇点")):
        return None
    hedge = next((_AUX_HEDGES[c] for c in stripped if c in _AUX_HEDGES), None)
    position = end
    following = norm[position : position + 2]
    if following[:1] == " " and following[1:2] in _AUX_HEDGES:
        position += 1
    if norm[position : position + 1] in _AUX_HEDGES and norm[position : position + 1] not in "来來":
        hedge = _AUX_HEDGES[norm[position]]
        position += 1
    elif norm[position : position + 1] in "来來" and _UNIT.match(norm, position + 1):
        hedge = "about"
        position += 1
    power = _POWER_OF_TEN.match(norm, position) if _ARABIC_ONLY.fullmatch(stripped) else None
    if power and (power["times"] or stripped == "10"):
        # 3.8×10^25 FLOPs, 10^26次: a power of ten, as papers and rules write compute
        exponent = int(power["exponent"] or power["superscript"].translate(_SUPERSCRIPTS))
        value = (value if power["times"] else Decimal(1)) * Decimal(10) ** exponent
        scale = Decimal(10) ** exponent
        ends_in_magnitude = True
        position = power.end()
    english = _ENGLISH_MAG.match(norm, position)
    if english and any(c.isdigit() for c in core):
        multiplier = Decimal(_ENGLISH_MAGS[english[1]])
        value *= multiplier
        scale = multiplier
        ends_in_magnitude = True
        position = english.end()
    latin = _LATIN_MAG.match(norm, position) if not ends_in_magnitude else None
    if latin and not _ARABIC_ONLY.fullmatch(stripped):
        latin = None
    if latin:
        # 671B where parameters or tokens are named; 昇騰910B is a chip's name, and so is
        # Llama 3 70B.
        around = norm[max(0, start - 12) : latin.end() + 12]
        named = (norm[start - 1 : start] == " " and norm[start - 2 : start - 1].isalnum()) or norm[
            max(0, start - 2) : start
        ] in _CHIP_NAMES
        priced = (norm[start - 1 : start] in ("$", "¥", "￥", "€") and latin[1] != "k") or bool(
            _PAY_CONTEXT.search(norm, max(0, start - 8), start)
        )
        latin = latin if (priced or _TOKEN_CONTEXT.search(around)) and not named else None
    if latin:
        multiplier = Decimal(_LATIN_MAGS[latin[1]])
        value *= multiplier
        scale = multiplier
        ends_in_magnitude = True
        position = latin.end()
    slash = _FRACTION_SLASH.match(norm, position)
    if slash and stripped.isdigit() and not ends_in_magnitude:
        denominator = int(slash[1])
        if 0 < value < denominator and value <= 99 and denominator <= 1000:
            return _Quantity(
                start,
                slash.end(),
                core,
                _divide(value, Decimal(denominator)),
                "times",
                Decimal(1),
                hedge,
                False,
            )
        return None
    kind = None
    half = _HALF_DURATION.match(norm, position)
    if half:  # 兩個半小時, 一個半月: a length of time and a half
        return _Quantity(
            start, half.end(), core, value + Decimal("0.5"), "duration", scale, hedge, False
        )
    half_point = _HALF_POINT.match(norm, position)
    if half_point:  # 一個半百分點: one and a half percentage points
        return _Quantity(
            start,
            half_point.end(),
            core,
            value + Decimal("0.5"),
            "percentage_point",
            scale,
            hedge,
            False,
        )
    # Trying the long alternation only where a unit can begin keeps long digit runs cheap.
    next_char = norm[position : position + 1]
    if next_char == " ":
        next_char = norm[position + 1 : position + 2]
    unit = _UNIT.match(norm, position) if next_char in _UNIT_FIRST_CHARS else None
    if unit:
        word = unit[1]
        after = norm[unit.end() : unit.end() + 1]
        guard = _UNIT_GUARDS.get(word, "")
        latin_clash = word in _LATIN_UNITS and after.isascii() and after.isalpha()
        # P is petaflops where computing power is named in its sentence (3000P算力, 算力达
        # 300P, 5000P的智能算力, 一期算力规模为100P，二期扩容后达到400P, 智算能力5000P).
        unnamed_power = word == "P" and not _POWER_NAMED.search(
            _sentence_near(norm, start, unit.end())
        )
        if word == "成" and after == "本" and norm.startswith(_OWN_AFTER_COST, unit.end() + 1):
            after = ""  # 七成本地需求: seven tenths of local demand, not 成本 (cost)
        if (after and after in guard) or latin_clash or unnamed_power:
            unit = None
        else:
            kind = _UNIT_KINDS[word]
            position = unit.end()
            if word == "年" and norm[position : position + 1] == "半":
                value += Decimal("0.5")
                position += 1
            if word in ("日內", "日内"):
                hedge = hedge or "at_most"  # 30日內: within thirty days, as 三年內 is
            if word == "成":
                if _TENTH_DIGIT.match(norm, position):
                    tenth = _DIGIT_VALUES.get(norm[position]) or int(norm[position])
                    value += Decimal(tenth) / 10  # 七成三, 4成8: 73 and 48 percent
                    position += 1
                elif norm.startswith("半", position):
                    value += Decimal("0.5")  # 一成半: 15 percent
                    position += 1
                if norm.startswith(_MORE_AFTER, position) or (
                    # 兩成幾: Hong Kong's "twenty-odd percent"; 三成幾多 asks how much
                    norm.startswith(("幾", "几"), position)
                    and not norm.startswith(("幾多", "几多"), position)
                ):
                    hedge = hedge or "more_than"  # 三成多, 三成餘
                    position += 1
            scored = (
                "." in core
                or _SCORE_CONTEXT.search(norm, max(0, start - 8), start)
                or _SCORE_AFTER.match(norm, position)
                or _SCORE_MOVE.search(norm, max(0, start - 3), start)
            )
            if word == "分" and scored:
                kind = "other"
            if word in ("點", "点") and _index_points(norm, start, position):
                kind = "other"  # 恒指收報5,432點: an index's points, not a time of day
            if word in ("個", "个") and _SHARED_POINTS.match(norm, position):
                kind = "percentage_point"  # 高4.7个和1.7个百分点: the points named once
            if (
                word in ("块", "塊")
                and (not after or after in _MONEY_BLOCK_ENDS)
                and last not in "亿億"
                and not _COUNT_CONTEXT.search(
                    _CLAUSE_BREAK.split(norm[max(0, start - 16) : start])[-1]
                )
                and not _BLOCKS_COUNTED.search(norm, max(0, start - 4), start)
            ):
                # 便宜了500块, 月薪两万来块: money; 2048块H800 and 加速卡1,000块 are cards
                kind = "yuan"
            if word == "日" and _COUNTING_DAYS.search(norm, max(0, start - 3), start):
                kind = "duration"  # 恒指連升5日, 累計5日: days, not the fifth of a month
            if word == "次" and (last == "京" or scale >= 10**16):
                kind = "other"  # 1京次, 10^26次: operations, a measure of computing  # 1京次: operations a second, a measure of computing
            if word == "次" and stripped == "二" and "\u4e00" <= after <= "\u9fff":
                kind = "reject"  # 二次開發, 二次元: secondary, where two times is 兩次

            if "多" in word:
                hedge = hedge or "more_than"
    if unit is None and latin:
        kind = "latin_magnitude"  # 7B小模型: parameters, unless a currency is written
    if unit is None:
        after = norm[position : position + 2]
        if after[:1].isascii() and after[:1].isalpha():
            return None  # a model or product name: 5G, 9000S, 4o
        if after[:1] in "._-" and after[1:2].isascii() and after[1:2].isalpha():
            return None  # 01.AI, 2.5-Max
    post = _POST_HEDGE.match(norm, position)
    # A bare magnitude takes a hedge after it too (投資30億以上, 年薪150萬起跳), if not 多 or
    # 內, which only a unit's kind lets in.
    bare = kind is None and ends_in_magnitude and post and post[1] not in ("多", "內", "内")
    if post and (bare or kind is not None) and kind != "reject":
        word = post[1]
        after = norm[post.end() : post.end() + 1]
        if word == "多" and kind not in ("duration", "times"):
            post = None
        elif word in ("內", "内") and kind not in ("duration", "other"):
            post = None  # 三年內, 5公里內: within; 3家內資 is not
        elif word == "起" and kind not in _MONEY_KINDS and not bare:
            post = None  # 3,999元起: from that price; 3起事故 are incidents
        elif after and after in _UNIT_GUARDS.get(word, ""):
            post = None
        if post:
            hedge = _POST_HEDGES[word] if hedge is None or word != "多" else hedge
            position = post.end()
    return _Quantity(start, position, core, value, kind, scale, hedge, ends_in_magnitude, upper)


def _neighbouring(numerals: re.Match) -> bool:
    """Whether the numerals `a` and `b` of a match make a rough count: one and the next
    (兩三, 七八), or three and five (三五)."""
    low, high = (_DIGIT_VALUES[numerals[end]] for end in ("a", "b"))
    return high == low + 1 or (low, high) == (3, 5)


def _rough_list(norm: str, start: int) -> re.Match | None:
    """Return the joint of 三、四個 at `start` (the 三 and its 、), or None."""
    listed = _ROUGH_LIST.match(norm, start)
    return listed if listed and _neighbouring(listed) else None


def _sentence_near(norm: str, start: int, end: int, *, back: int = 60, ahead: int = 30) -> str:
    """Return the text of the sentence around norm[start:end], up to `back` characters
    before it and `ahead` after it."""
    before = norm[max(0, start - back) : start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = norm[end : end + ahead]
    stop = _SENTENCE_BREAK.search(after)
    return before + norm[start:end] + (after[: stop.start()] if stop else after)


def _index_points(norm: str, start: int, end: int) -> bool:
    """Whether the 點 ending at `end` counts an index's points (恒指收報26,344點, 升412點),
    not the hour of a time of day (下午1點半)."""
    if _HOUR_CONTEXT.search(norm, max(0, start - 3), start):
        return False  # 下午3點後
    window = _sentence_near(norm, start, start, ahead=0)  # its sentence before the number
    if not _INDEX_CONTEXT.search(window):
        return False
    if norm.startswith(tuple("前後后"), end):
        # 高開137點後反覆向上 moved by points; 3點後 is after three o'clock.
        return bool(_INDEX_MOVE.search(window[-3:]))
    if norm.startswith(("整數", "整数"), end):
        return True  # 22,000點整數關卡: a round number of points, not o'clock sharp
    return not norm.startswith(tuple("半鐘钟整多"), end)


def _rejected_by_left(norm: str, start: int, quantity: _Quantity, floor: int) -> bool:
    """Return whether the text just before the number makes it a name, code, rank or vague."""
    core = quantity.core
    before = norm[start - 1] if start > 0 else ""
    before2 = norm[start - 2] if start > 1 else ""
    if before == " " and before2.isascii() and before2.isalpha():
        # Llama 3, Mate 60: a name; but "tokens 0.8元" is a price after a word.
        if quantity.kind in _MONEY_KINDS or quantity.ends_in_magnitude:
            return False
        return _word_before(norm, start, floor, _PREFIX_CURRENCIES, 3) is None
    if before.isascii() and before.isalpha() and core[0].isascii():
        # H20, GPT4: a name; a Chinese numeral after a word (team十幾個人) is not one.
        return _word_before(norm, start, floor, _PREFIX_CURRENCIES, 3) is None
    if before == ":" and not before2.isascii():
        # 營收：5億元, a label and its value; 單位：億元 names a table's unit; 10:30 and 1:10
        # are read with theirs.
        return norm[max(0, start - 3) : start - 1] in ("單位", "单位")
    if before == "/" and _POWER_BEFORE_ENERGY.search(norm, max(0, start - 6), start):
        return False  # 100MW/400MWh: a battery plant's power and its energy, two measures
    if before in "-./:#@_=^+" and before:
        # A sign after a word, a space or a bracket (年增率-5.1%, | +65.6% |); a dash after
        # a name or a number (GPT-4, 10-20) is read with what it follows.
        return not (before in "-+" and not (before2.isascii() and before2.isalnum()))
    first = core[0]
    if before and before in "周週" and first in _CN_DIGITS:
        return True  # 周三, a weekday
    if norm[max(0, start - 2) : start] in ("星期", "禮拜", "礼拜"):
        return True
    if before and first in _CN_SMALL + _CN_MAGS and before in "數数幾几上好成":
        # 數十億, 上千: vague; but 一萬元以上十萬元以下 is a band, the 上 of 以上
        return not (before == "上" and norm[start - 2 : start - 1] == "以")
    if core in ("一", "壹") and before == "之":
        return True
    if before == "每" and all(c in _CN_SMALL + _CN_MAGS for c in core):
        return True  # 每百萬個token, 每千人: what a rate is counted per
    return bool(before) and before in "头頭"  # 頭兩名: a rank


def _number(written: str | None) -> Decimal | None:
    """Return the value of a written number: Arabic, Chinese or both mixed."""
    if not written:
        return None
    cleaned = _NOT_VALUE.sub("", written).replace("倆", "兩")
    if not cleaned or len(cleaned) > _MAX_NUMBER_CHARS:
        return None
    if len(cleaned) == 1 and cleaned in _DIGIT_VALUES:
        return Decimal(_DIGIT_VALUES[cleaned])
    if cleaned.isdigit():
        return Decimal(cleaned)
    if all(c in _CN or c in "点點" for c in cleaned) and not any(c in "兆京" for c in cleaned):
        # Imported here: cn2an takes a tenth of a second or more to load, which every
        # process paid at start-up though only the reading of a figure needs it.
        import cn2an

        try:
            converted = cn2an.cn2an(cleaned.replace("點", "点"), "normal")
        except Exception:  # cn2an signals a malformed numeral in several ways; the fallback decides
            converted = None
        if converted is not None:
            try:
                return Decimal(str(converted))
            except InvalidOperation:
                return None
    return _mixed_number(cleaned)


_ARABIC_ONLY = re.compile(r"[0-9][0-9,.]*")
_NOT_VALUE = re.compile(r"[ ,，多余餘几幾来來个個]")
_NUMBER_PART = re.compile(
    rf"[0-9]+(?:\.[0-9]+)?|[{_CN_DIGITS}]+(?:[点點][{_CN_DIGITS}]+)?|[{_CN_SMALL}]|[{_CN_MAGS}]"
)


def _mixed_number(cleaned: str) -> Decimal | None:
    """Return the value of a number mixing Arabic digits, Chinese numerals and magnitudes."""
    parts = _NUMBER_PART.findall(cleaned)
    if sum(map(len, parts)) != len(cleaned) or len(parts) > 12:
        return None
    total = section = Decimal(0)
    pending: Decimal | None = None
    pending_shortens = False
    last_unit = last_magnitude = None
    zero_seen = False
    for part in parts:
        head = part[0]
        if head.isdigit() or head in _DIGIT_VALUES:
            if pending is not None:
                return None
            if head.isdigit():
                # 3萬5 is said as 兩萬五 is: one digit straight after a magnitude shortens it
                shortened = len(part) == 1 and last_magnitude is not None and not section
                pending, pending_shortens = Decimal(part), shortened
                continue
            whole, _, fraction = part.replace("點", "点").partition("点")
            zero_seen = zero_seen or (whole[0] in "零〇○" and len(whole) > 1)
            whole = whole.lstrip("零〇○") or "零" if (total or section) else whole
            if len(whole) > 1 and not fraction and (total or section):
                return None
            digits = "".join(str(_DIGIT_VALUES[c]) for c in whole)
            if fraction:
                digits += "." + "".join(str(_DIGIT_VALUES[c]) for c in fraction)
            pending, pending_shortens = Decimal(digits), True
        elif head in _SMALL_VALUES:
            unit = _SMALL_VALUES[head]
            section += (pending if pending is not None else 1) * unit
            pending, last_unit, zero_seen = None, unit, False
        else:
            magnitude = _MAG_VALUES[head]
            segment = section + (pending or 0)
            section, pending = Decimal(0), None
            if segment == 0:
                total = total * magnitude if total else Decimal(magnitude)
            elif last_magnitude is not None and magnitude > last_magnitude:
                total = (total + segment) * magnitude
            else:
                total += segment * magnitude
            last_magnitude = last_unit = magnitude
            zero_seen = False
    if pending is not None:
        if pending_shortens and last_unit and not zero_seen and pending < 10 and pending % 1 == 0:
            pending *= Decimal(last_unit) / 10  # 兩萬五, 三千五
        section += pending
    return total + section


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    return numerator / denominator


def _tidy(value: Decimal) -> Decimal:
    """Return the value without trailing zeros or an exponent: 1.2E+12 as 1200000000000."""
    try:
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()
    except InvalidOperation:
        return value
