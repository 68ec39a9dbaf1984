"""Propose the sentences of an article that look like claims: those stating a figure or a source.

A sentence ends at 。！？；, their ASCII forms or a line break, but not inside 「」『』“” quotes
unless that would make it longer than MAX_SENTENCE characters; a sentence still longer is cut
at its last comma before the limit. A story's dateline or byline opening a paragraph is no part
of its sentence. The cited origin is read by these rules, first that
applies:

1. 據/根據/依據 … 統計/報告/數據/調查/研究/顯示/指出 …: the words between, with a title's
   brackets and any "發布的…" tail dropped (據CSET統計 → CSET, 根據國家經濟研究局發布的2024年
   研究報告 → 國家經濟研究局; 據《Tortoise Media》 → Tortoise Media).
2. … 指出/表示/稱/說/認為/顯示 …: the clause's subject before the verb, without leading
   connectives (此外, 而, 但 …), trailing adverbs and "在…上" settings, and without a trailing
   數據/報告/最新; a pronoun (他, 該雜誌, 報告 …) names no origin, but 他 or 她 speaking in
   the sentence right after one that names its speaker (黃仁勳表示…。他還說…) is that speaker.
3. according to X, or X said: X. Hearsay (據悉, 據了解, 據報, 據傳) and people named only by
   kind (知情人士, 一位接近監管部門的人士, The company) cite an origin left unnamed: ''.

A verb inside a quotation (「…」, “…”) or a title is not the sentence's; a wire story's
dateline, descriptors (市場研究公司, 投資銀行), settings (於…時, 受訪時), times (上月, 周二)
and the company owning the speaker (字節跳動旗下的) are not part of the name.

In either, a parenthesised Latin acronym after the name wins (美國喬治城大學安全與新興技術中心
(CSET) → CSET; 國際數據公司（IDC） → IDC), and an organisation before a title wins over the
title (史丹佛大學《2024年AI指數報告》 → 史丹佛大學). The module is pure: no database.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from claims.figures import ParsedFigure, parse_figures, text_period

MAX_SENTENCE = 300
_ENDS = frozenset("。！？；!?;\n")
# A sentence that compares places or rivals states a claim even without a figure: 中國發表的
# 論文數量超過美國, 比美國更多的人才, 達到世界領先水準.
_RIVALS = (
    "美國|美国|中國|中国|日本|歐洲|欧洲|歐盟|欧盟|台灣|台湾|韓國|韩国|英國|英国|印度|全球|世界"
)
_COMPARISON = re.compile(
    rf"(?:超過|超过|超越|領先|领先|落後|落后|多於|多于|少於|少于|高於|高于|低於|低于|趕上|赶上)(?:於|于)?"
    rf"(?:{_RIVALS})"
    rf"|比(?:{_RIVALS})[^，,。；;]{{0,12}}(?:多|少|高|低|強|强|弱|快|慢|大|小|好|差)"
    rf"|(?:世界|全球|國際|国际)(?:領先|领先)(?:水準|水平|地位)"
)
_OPENING_QUOTES = "「『“"
_CLOSING_QUOTES = "」』”"
_LIST_MARKER = re.compile(
    r"(?:[-•·*»▪■●◆]\s*|[0-9]{1,2}[.、)）]\s*|[（(]?[一二三四五六七八九十]{1,3}[、)）]\s*"
    r"|[（(][0-9]{1,2}[)）]\s*)+"
)
# A story's dateline and byline open its first paragraph but are no part of its first sentence
# (新华社北京11月3日电（记者 李明）, 中新网4月18日电, （中央社記者張建中新竹16日電）, （香港16日訊）,
# 本报讯（记者 陈静）, 【明報專訊】, 【經濟日報記者吳佳蓉／台北報導】), and a byline standing as its
# own line (21世纪经济报道记者 孙悦 北京报道) is no sentence at all. 中央社電子報 is a name.
_DATELINE = re.compile(
    r"(?:【[^【】\n]{1,30}】"
    r"|[（(][^（）()\n]{0,30}(?:[電电訊讯]|報導|报道)[)）]"
    r"|(?:新華社|新华社|中新社|中新網|中新网|中央社|路透社|法新社|美聯社|美联社|本報|本报)"
    r"[^，,。；;：:\s]{0,16}?[電电訊讯](?![子腦脑視视池力話话商器影台網网信])"
    r"(?:[（(](?:記者|记者)[^（）()\n]{0,20}[)）])?"
    r"|[^，,。；;\n]{0,20}(?:記者|记者)[^，,。；;\n]{0,12}(?:報導|报道)$)\s*"
)
_SOURCE_NOUNS = (
    "統計|统计|報告|报告|數據|数据|調查|调查|研究|估計|估计|預測|预测|預估|预估|分析|測算|测算|"
    "報導|報道|报道|报导|資料|资料|顯示|显示|指出|引述|披露|消息|數字|数字|了解|財報|财报|"
    "招股說明書|招股说明书|招股書|招股书|說明書|说明书|文件|年報|年报|榜單|榜单|"
    # 據智慧財產及商業法院判決: the court
    "判決書|判决书|判決|判决|判詞|判词"
)
_ACCORDING = re.compile(
    rf"(?<![數数證证占佔收])(?:根據|根据|依據|依据|據|据)(?!此|了解|悉|說|说|稱|称|不完全)"
    # 統計處, 調查局: an office's name, not its statistics
    # 據彭博社計算: the agency's own arithmetic; 計算中心, 計算平台 and 計算能力 are things.
    rf"(?P<origin>[^，,。；;：:]{{0,40}})(?:的)?(?:{_SOURCE_NOUNS}|(?:計算|计算)(?![中平机機能力器]))"
    rf"(?![處处局署所院部會会廳厅])"
)
_ACCORDING_TITLE = re.compile(r"(?:根據|根据|據|据)《(?P<origin>[^》]{1,30})》")
# Nouns that say on their own: 報告顯示, 數據顯示 cite an origin left unnamed.
_UNNAMED_SAYING = (
    "報告顯示|报告显示|數據顯示|数据显示|統計顯示|统计显示|研究顯示|研究显示|調查顯示|调查显示"
)
_VERBS = (
    # 指出口管制 points at export controls; 法說會, 說服 say nothing.
    # 不願透露姓名的官員: the official speaks, not the one who will not be named.
    f"號稱|号称|指出(?![口版品])|表示|聲稱|声称|宣稱|宣称|(?<!不願|不愿)透露|強調|强调|坦言|直言|警告|"
    # 被認為 is what others think, by no one named.
    f"(?<!被)(?:認為|认为)|提到|說道|说道|承認|承认|表明|"
    # 爆料博主@定焦數碼稱: a blogger who leaks, not the leak.
    f"爆料(?!博主|部落客|大V|帳號|账号)|"
    # 小說, 演說, 遊說, 傳說, 學說, 雖說 say nothing.
    # 通常所說的 (so-called) says nothing; 施密特所說的那樣 does.
    f"(?<![法小演遊游傳传學学雖虽])(?<!常所)(?<!般所)(?:說|说)(?![服明會会法客])|轉述|转述|"
    # 稱 and 称 say, but 稱為 and 称作 name: 被外界稱為"AI界的拼多多"; 自稱 claims to be:
    # 林某自稱曾任職輝達 says who he is, not where a figure comes from.
    f"(?<![號号堪簡简俗統统名職职著對对自])(?:稱|称)(?![為为作之霸號号])|"
    # 最高人民法院工作報告顯示: a work report has its author before it.
    f"(?<!工作)(?:{_UNNAMED_SAYING})|"
    # 顯示面板 is a display panel; 提出申請 files an application; 國科會提出的方案 is a plan
    # put forward, no one's saying.
    f"(?:顯示|显示)(?![器卡屏幕出面])|發現|发现|提出(?![申定上訴诉辭辞抗異异的])|"
    # 賽迪顧問預計，…: a forecast's author; 出貨量預計將翻番 is expected, by no one named;
    # 再度更新預測, 上修預測: a forecast revised is a noun, no one's saying.
    f"(?<!更新|上修|下修|調整|调整|修正)"
    f"(?:預估|预估|預測|预测|預計|预计|估計|估计)(?![將将會会可於于在要能達达為为明今到])|"
    # 發布…報告顯示 cites; 國內已發布的大模型 does not.
    f"(?:發表|发表|發布|发布|公布|公佈)(?=[，,：:]|的?《|[^，,。]{{0,12}}(?:{_SOURCE_NOUNS}|白皮書|白皮书|榜))|"
    f"通報|通报|宣布|宣佈|報導|报导|報道|报道|寫道|写道|獲悉|获悉|了解到|預料|预料|估算|測算|测算|"
    f"證實|证实|告訴|告诉|公告|"
    # 回應, 發文, 評論, 刊文, 披露, 揭露 and 批評 say where a comma or colon follows: 華為回應，…;
    # 分析 where a comma does (案例分析：智譜AI is a heading).
    # 少於預期 and 超預期 are what was expected, by no one named.
    f"(?:回應|回应|發文|发文|評論|评论|刊文|披露|揭露|批評|批评|質疑|质疑|(?<![於于超及合乎])(?:預期|预期))"
    f"(?=[，,：:])"
    f"|分析(?=[，,])|"
    # 中國半導體行業協會統計，…: the association counted; 初步統計, 粗略統計, 經統計 and
    # 截至月底統計 say how, not who.
    f"(?<![步略經经底])(?:統計|统计)(?=[，,：:])|"
    # 介紹, 提醒, 說明 and 補充 say where a comma or colon follows: 吳金城介紹，…; 黃偉傑說明，…;
    # 孫東補充，…; 公司介紹了新產品, 說明書 and 補充人手 do not.
    f"(?:介紹|介绍|提醒|說明|说明|補充|补充)(?=[，,：:])|"
    # 高等法院原訟法庭裁定，被告須支付2.3億元: the court rules where a comma follows.
    f"(?:裁定|判決|判决)(?=[，,：:])|"
    # Hong Kong's 消息指，…, 有業界人士指，…, 有消息指騰訊將…
    f"指(?=[，,：:])|(?<=消息|人士)指(?![數数標标引定導导揮挥南向控責责])|"
    # and its 話 (says): 查毅超話，…; 「…，」孫東話。; 佢話…; not 電話, 對話, 普通話.
    f"(?<![電电對对說说笑廢废童神閒闲情講讲白通粵粤官佳實实])(?<!廣東|广东)話(?=[，,：:]|。?$)|(?<=佢)話"
)
_SAYS = re.compile(rf"(?P<verb>{_VERBS})")
_UNNAMED_SAYS = re.compile(_UNNAMED_SAYING)
_UNNAMED_COUNT = re.compile(
    # 據不完全統計, and hearsay: 據悉, 據了解, 據知, 據報 (as reported, by no one named)
    "(?:據|据)(?:不完全(?:統計|统计)|悉|了解|知(?![名道])|報(?![告道導])|报(?![告道导])"
    "|傳(?![統媒播出來])|传(?![统媒播出来]))"
)
# 金管局被指動用1,300億元, 小米被曝…: said of someone, by no one named; read only where no
# one else in the sentence is cited. 被指定, 被指控, 被傳召 and 被爆炸 are no hearsay.
_REPORTEDLY = re.compile("被(?:指(?![定派控出令名責责])|曝|爆(?!炸)|傳(?![召喚])|传(?![召唤]))")
_ENGLISH = re.compile(
    r"[Aa]ccording to (?:an? |the )?(?:(?:data|figures|estimates|a report) from (?:the )?)?"
    r"(?P<origin>[A-Z][\w&.\- ]{1,40}?)"
    r"(?: (?:report|reports|data|figures|survey|estimates|analysis))?(?=[,，.。]|$)"
)
_ENGLISH_SAID = re.compile(
    # In an interview with Bloomberg, Zhipu chief executive Zhang Peng said …
    r"^(?:(?:In|At|On|During|Speaking) [^,]{1,60}, )?"
    r"(?P<origin>[A-Z][\w&.\-' ]{1,60}?),? (?:citing [^,]{1,60}, )?(?:said|says|told|stated|noted"
    r"|warned|added|wrote|reported|reports|estimated|estimates|estimate|expects|expect)\b"
    # The report, released by the China Academy of …, estimates …
    r"|(?:released|published|compiled|issued) by (?:the )?(?P<author>[A-Z][\w&.\-' ]{1,80}?)(?=[,.]|$)"
    # Analysts at Jefferies estimate …; data from the National Bureau of Statistics showed …
    r"|(?:[Aa]nalysts? (?:at|from)|(?:[Dd]ata|[Ff]igures|[Ss]tatistics) from) (?:the )?"
    r"(?P<firm>[A-Z][\w&.\-]*(?: (?:of |and |for )?[A-Z][\w&.\-]*)*)"
)
# Whoever speaks last: Demand remains strong, Nvidia CEO Jensen Huang said. "We are not
# behind," Liang told reporters. TSMC expects …, Chief Executive C.C. Wei said.
_ENGLISH_SPEAKER = re.compile(
    r",[\"”’']? (?:the )?(?P<speaker>[A-Z][\w&.\-' ]{1,60}?) (?:said|says|added|wrote|noted|estimated"
    r"|told (?:reporters|analysts|investors|[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*)*))"
    r"(?: (?:in|on|at|during) [^,]{1,40})?\.?$"
    # "The demand is insane," said Jensen Huang, Nvidia's chief executive.
    r"|[,\"”’'] said (?P<after>[A-Z][\w&.\-']*(?: [A-Z][\w&.\-']*)*)(?=[,.]|$)"
)
# …, two sources told Reuters: the agency reporting them.
_ENGLISH_TOLD = re.compile(
    r"\b(?:sources?|people|officials?|insiders?|executives?|persons?)\b[^,.]{0,40} told "
    r"(?P<outlet>[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*)*)"
)
# "The company said": named only by its kind.
_ENGLISH_KIND = re.compile(
    r"(?:(?:[Tt]he|[Aa]n?) (?:company|firm|group|ministry|agency|report|source)s?"
    r"|(?:Chinese |US |Taiwanese )?(?:[Ss]tate )?media)"
)
_ENGLISH_UNNAMED = re.compile(
    r"[Aa]ccording to (?:(?:people|sources|analysts|officials|insiders)\b|(?:an?|the) [a-z])"
    # hearsay, as 據報: ByteDance is reportedly planning …
    r"|\b(?:reportedly|(?:is|are|was|were) (?:said|reported|rumou?red) to)\b"
)
# What an English name carries that is not the name: The …, … analysts.
# People and bodies named by kind that say, anywhere in the sentence: …, analysts said;
# …, said people familiar with the matter; after the company said; officials have argued.
_ENGLISH_UNNAMED_SAID = re.compile(
    r"\b(?:analysts|economists|officials|sources|experts|executives|people familiar with [a-z ]+?)"
    r"(?: have| had)? (?:said|say|says|argued|argue|warned|noted|estimated|estimate)\b"
    r"|\bsaid (?:people|sources|officials|analysts|a person)\b"
    r"|\b(?:the|The) (?:company|firm|ministry|agency|government|group) (?:said|says|added)\b"
)
_ENGLISH_FRAME = re.compile(
    r"^(?:[Tt]he |(?:[Aa]nalysts?|[Ee]conomists?) (?:at|from) (?:the )?)(?=[A-Z])"
    r"| (?:analysts?|economists?|researchers?)$|\.$"
)
_ACRONYM = re.compile(
    r"[（(](?:簡稱|简称|下稱|下称|以下簡稱|以下简称)?(?P<acronym>[A-Z][A-Za-z0-9&.\-]{1,11})[)）]"
)
_PARENTHESES = re.compile(r"[（(][^()（）]*[)）]")
_CLAUSE_START = re.compile(r".*[，,：:「」“”『』。；;]", re.DOTALL)
# Who is named only by kind: 知情人士, 消息人士, 業內人士, 分析師, 外媒, 外電.
_UNNAMED = re.compile(
    r"^(?:有|據|据)?(?:一位|一名|多位|多名|有關|有关)?(?:知情人士|消息人士|業內人士|业内人士|業界人士|业界人士|內部人士|内部人士|"
    r"接近[^，,]{0,10}(?:的?人士)?|分析師|分析师|分析人士|專家|专家|學者|学者|外媒|外電|外电|消息|"
    r"有關人士|有关人士|相關人士|相关人士|市場人士|市场人士|官員|官员|人士|分析|"
    r"不願具名|不愿具名|(?:供應鏈|供应链|內部|内部|業界|业界|市場|市场|港府|政府|官方)?消息(?:人士)?|"
    r"相關|相关|業者|业者|網友|网友|網民|网民|公開資料|公开资料|財報|财报|內部|内部|官方|業界|业界|法人|"
    # 博主爆料稱, 有知名博主稱: a blogger without a handle is named only by kind.
    r"(?:知名)?(?:爆料)?(?:博主|部落客)|(?:本地|本港|內地|内地|外資|外资|中資|中资)?(?:券商|大行)|"
    r"(?:公司)?(?:相關|相关|有關|有关)?(?:負責人|负责人)|不願透露姓名|不愿透露姓名|"
    r"公司|該公司|该公司|市場|市场|外界|各界|第三方(?:機構|机构)?|機構|机构|立委|議員|议员|"
    # 有銀行界人士, 多位券商, 有媒體: people or firms counted, not named
    # 有券商分析員話: Hong Kong's analyst, too, is counted, not named.
    r"(?:有|多位|多名|多家|一些|部分|不少|某)[^，,]{0,4}(?:人士|券商|媒體|媒体|分析師|分析师|分析員|分析员"
    r"|官員|官员|機構|机构"
    r"|車企|车企|公司|企業|企业|廠商|厂商)|"
    r"(?:確實|确实)?有(?:記錄|记录|紀錄|纪录|證據|证据|資料|资料)|)$"
)
# What describes an origin before its name: 市場研究機構TrendForce, 官方媒體新華社.
_DESCRIPTOR = re.compile(
    r"^(?:官方媒體|官方媒体|官媒|陸媒|陆媒|外媒|日媒|港媒|美媒|台媒|韓媒|韩媒|英媒|歐媒|欧媒|我國|我国|"
    r"分析師|分析师|研究機構|研究机构|"
    # 第三方機構QuestMobile, 第三方數據平台: an outside firm, named after
    r"第三方(?:數據|数据|研究|調研|调研)?(?:機構|机构|公司|平台|平臺)|"
    r"(?:美國|美国|英國|英国|日本|韓國|韩国|德國|德国|歐洲|欧洲|中國|中国|台灣|台湾|香港|全球|國際|国际)?"
    r"(?:(?:市場|市场)?(?:研究|調研|调研|調查|调查)(?:機構|机构|公司)|(?:市調|市调)(?:機構|机构)|研調機構|"
    r"研调机构|智庫|智库|顧問公司|顾问公司|諮詢公司|咨询公司|投行|投資銀行|投资银行|"
    r"(?:晶片|芯片|面板|半導體|半导体|記憶體|存储|伺服器|服务器|手機|手机|代工)"
    r"(?:大廠|大厂|廠|厂|巨頭|巨头|龍頭|龙头)|"
    r"科技媒體|科技媒体|財經雜誌|财经杂志|AI新創|AI新创|新創公司|新创公司|"
    # 本地券商交銀國際, 大行高盛: a broker or bank by kind, named after
    r"(?:本地|本港|內地|内地|外資|外资|中資|中资)?(?:券商|大行)))"
    r"(?=.{2})"
)
# A title after a place (英國《金融時報》): the title is the origin.
_PLACE_BEFORE_TITLE = re.compile(
    r"^(?=.)(?:在|於|于)?(?:英國|英国|美國|美国|日本|德國|德国|法國|法国|香港|台灣|台湾|新加坡|韓國|韩国|中國|中国)?"
    r"(?:科技媒體|科技媒体|財經雜誌|财经杂志|媒體|媒体|雜誌|杂志|報章|报章|日媒|港媒|美媒|台媒|韓媒|韩媒|"
    r"英媒|外媒|陸媒|陆媒)?$"
)
# 這顯示, 此表示: a sentence drawing its own conclusion, citing no one.
_THIS = frozenset(
    (
        "這",
        "这",
        "此",
        "那",
        "這也",
        "这也",
        "此舉",
        "此举",
        "這意味",
        "这意味",
        "這篇",
        "这篇",
        "誰",
        "谁",
        # 實踐表明, 事實證明: the sentence's own conclusion
        "實踐",
        "实践",
        "事實",
        "事实",
        "歷史",
        "历史",
        "經驗",
        "经验",
    )
)
_TITLE_SPAN = re.compile(r"《[^《》]*》")
_QUOTED = re.compile(r"「[^「」]*」|“[^“”]*”")
_QUOTE_PUNCTUATION = re.compile("[，,。！？!?；;：:]")
_PLATFORMS = (
    "平台",
    "平臺",
    "帳號",
    "账号",
    "社群",
    "頻道",
    "频道",
    "節目",
    "节目",
    "專欄",
    "专栏",
)
_LEADING = re.compile(
    r"^(?:此外|另外|另據|另据|同時|同时|與此同時|与此同时|其中|因此|然而|不過|不过|對此|对此|首先|"
    r"其次|最後|最后|而且|而|但是|但|另|並|并|也|則|则|就連|就连|根據|根据|依據|依据|據|据|"
    # 記者從工信部獲悉: the ministry; 援引路透社的報道: the agency
    r"(?:本報|本报)?(?:記者|记者)(?:從|从|自)|援引|引述|引用|正如|誠如|诚如|"
    # 新華社北京3月5日電 國務院總理李強: the dateline of a wire story
    r"(?:新華社|新华社|中新社|中央社)[^ ，,]{0,12}[電电] ?)+"
)
# 陳翊庭又指, 劉熾平又表示: 又 (again) is how the speaker said it, no part of the name.
_TRAILING = re.compile(
    r"(?:在[^，,]{0,20}|(?:對|对|向)(?:記者|记者|媒體|媒体|傳媒|传媒)|(?:也|亦|則|则|更|还|還|又|曾|均|都|已|再|日前|近日|"
    r"最近|稍早|最新|發布|发布|公布|發表|发表|的|分析|(?<!行業|行业)研究|數據|数据|報告|报告|統計|统计|調查|调查|"
    r"報導|報道|报道|报导|記者|记者|研報|研报|印發|印发|分析師|分析师|此前|早前|較早前|较早前|"
    r"昨日|昨天|今日|今天|上週|上周|本週|本周|(?:周|週|星期)[一二三四五六日天]|上月|上個月|上个月|"
    r"(?:上|本|下)(?:周|週|星期)[一二三四五六日天]|本月[初中底]?|近期|月中|去年|今年|前年|月初|月底|年初|年底|[0-9]{4} ?年|"
    # 百度2025年第二季度財報: the period a filing covers
    r"第[一二三四1-4] ?季度?|[上下]半年|全年|[0-9]{1,2} ?月(?:[0-9]{1,2} ?[日號号])?|"
    r"[0-9]{1,2} ?[日號号]|一項|一项|一份|一篇|財報|财报|最新|轉述|转述|普遍|罕見地|罕见地|公開|公开|"
    r"私下|再次|多次|首度|首次|昨|晚間|晚间|早間|早间|撰文|網站|网站|官方|文件|"
    r"(?:質詢|质询|答詢|答询)時?|時|时|上午|下午|晚上|早上|中午|"
    r"[0-9]{1,2} ?(?:時|时|點|点)(?:[0-9]{1,2} ?分)?|"
    # What the speaker did in saying it: 董莉娟解讀稱, 陳美寶續指, 高拔陞補充說, 侯永清致詞時
    # 指出, 李慧芝會後記者會轉述, 阿诺德解释说, 他舉例說.
    r"(?:解讀|解读|解釋|解释|舉例|举例|補充|补充|續|续|致詞|致辞|致词)|(?:會後|会后)?(?:記者會|记者会)|"
    # A court's judgment and an annual work report are documents, not their authors.
    r"判決書|判决书|判詞|判词|工作報告|工作报告|"
    r"(?:於|于)[^，,]{0,20}(?:時|时|上|中|期間|期间)|出席[^，,]{0,20}|(?:透過|透过|通過|通过)[^，,]{0,12}|"
    r"(?:對|对)[A-Z][A-Za-z]{1,10}|接受|(?:回應|回应|回覆|回复)(?:[^，,]{0,12}(?:時|时))?|發文|发文|發帖|发帖|"
    r"評論|评论|刊文|(?:對|对|向)(?:本報|本报)|向[^，,]{1,8}|"
    r"獨家|独家|不完全|方面|聯合|联合|"
    # 36氪從多位知情人士處獲悉: the outlet learnt it; 知情人士對《華爾街日報》表示: the source said it.
    r"(?:從|从)[^，,]{1,15}(?:處|处)|對|对|向|"
    r"信息|(?:於|于)[0-9]{4} ?年(?:[0-9]{1,2} ?月)?|"
    # 國家統計局於週一發布: the day, and the 於 that gives it
    r"(?:於|于)(?=(?:上|本|下)?(?:周|週|星期)|昨|今|近日|日前|[0-9])|"
    r"(?:發|发)?(?:官方)?(?:微博|臉書|脸书|微信公眾號|微信公众号|X帳號|X账号)|"
    r"(?:接受[^，,]{0,15})?(?:訪問|访问|採訪|采访|專訪|专访|受訪|受访)時?|受訪|受访))+$"
)
# What follows a name and is no part of it: the document it published or was given.
_HANDED = "發布|发布|公布|發表|发表|提出|印發|印发|出版|提供|引述|援引|引用|轉引|转引|遞交|递交|提交|取得|獲得|获得|披露"
_TAIL = re.compile(rf"(?:{_HANDED}|的).*$")
_HANDED_TAIL = re.compile(rf"(?:{_HANDED}).*$")
_HEAD_TIME = re.compile(r"^(?:最新|今年|去年|近日|[0-9]{4} ?年)+")
_PRONOUNS = (
    "他",
    "她",
    "它",
    "其",
    "我",
    "你",
    "該",
    "该",
    "此",
    "這",
    "这",
    "那",
    "報告",
    "报告",
    "研究",
    "調查",
    "调查",
    "數據",
    "数据",
    "文章",
    "報道",
    "报道",
    "有人",
    "有分析",
    "有消息",
    # 另一份報告指出: a report, not named.
    "一份",
    "一項",
    "一项",
    # Cantonese he, she, they
    "佢",
    # A filing or a document, not its author: 招股書顯示; an experiment's results
    "招股",
    "實驗",
    "实验",
    "結果",
    "结果",
    "說明書",
    "说明书",
    "文件",
    "年報",
    "年报",
    "公告",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    quote: str
    figures: tuple[ParsedFigure, ...]
    cited_origin: str
    period_start: int | None
    period_end: int | None
    # Part of the sentence is quoted by a claim already, and `figures` are those outside it
    # (claims.selectors.open_candidates).
    partly_quoted: bool = False

    def figures_to_propose(self) -> set[tuple[int, int]] | None:
        """Return the places in the sentence of the figures to propose from it, or None for
        every one of them (claims.proposals.propose_figure's `among`)."""
        if not self.partly_quoted:
            return None
        return {(f.start - self.start, f.end - self.start) for f in self.figures}


def sentence_hash(sentence: str) -> str:
    """Return the hex digest that names a sentence, whatever its place in the text."""
    return hashlib.sha256(sentence.encode()).hexdigest()


def propose_candidates(text: str, *, region: str | None = None) -> list[Candidate]:
    """Return each sentence of the text that states a figure or cites an origin."""
    if not isinstance(text, str) or not text:
        return []
    figures = parse_figures(text, region=region)
    figure_starts = [f.start for f in figures]
    candidates = []
    before = ""
    for start, end in sentences(text):
        first = bisect.bisect_left(figure_starts, start)
        last = bisect.bisect_left(figure_starts, end)
        found = tuple(f for f in figures[first:last] if f.end <= end)
        quote = text[start:end]
        cites, origin = cited_origin(quote, before=before)
        before = quote
        if not (found or cites or _compares(quote)):
            continue
        if found:
            period = (found[0].period_start, found[0].period_end)
        else:
            period = text_period(quote, region=region)
        candidates.append(Candidate(start, end, quote, found, origin, *period))
    return candidates


def _compares(sentence: str) -> bool:
    """Whether the sentence claims a comparison (a question, 能否趕上美國？, claims none)."""
    return not sentence.rstrip().endswith(("？", "?", "呢")) and bool(_COMPARISON.search(sentence))


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each sentence, trimmed of whitespace, list markers and a
    story's dateline."""
    spans = []
    start = depth = 0
    for index, char in enumerate(text):
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES:
            depth = max(0, depth - 1)
            # 「…。」 ends the sentence with the quote.
            if depth == 0 and index > start and text[index - 1] in _ENDS:
                spans.extend(_pieces(text, start, index + 1))
                start = index + 1
                continue
        if char in _ENDS and (depth == 0 or char == "\n" or index - start > MAX_SENTENCE):
            spans.extend(_pieces(text, start, index + (char != "\n")))
            start = index + 1
            if char == "\n":
                depth = 0
    spans.extend(_pieces(text, start, len(text)))
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the trimmed sentence in [start, end), cut at commas when it is too long."""
    while start < end and text[start].isspace():
        start += 1
    marker = _LIST_MARKER.match(text, start, end)
    if marker and marker.end() < end:
        start = marker.end()
    dateline = _DATELINE.match(text, start, end) if _opens_paragraph(text, start) else None
    if dateline:
        start = dateline.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = max(
            text.rfind("，", start, start + MAX_SENTENCE),
            text.rfind(",", start, start + MAX_SENTENCE),
        )
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _opens_paragraph(text: str, start: int) -> bool:
    """Whether only whitespace stands between the start of its line and `start`."""
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


def cited_origin(sentence: str, *, before: str = "") -> tuple[bool, str]:
    """Return whether the sentence cites an origin, and the origin's short name ('' if none).

    `before`, the sentence before it in the article, names the one its 他 or 她 speaks for.
    """
    cites, origin = _cited_origin(sentence)
    if cites and not origin and before:
        speaker = _speaker_clause(sentence)
        if speaker and _POINTED_BACK.match(speaker):
            return cites, _speaker_of(before)
    return cites, origin


def _speaker_of(sentence: str) -> str:
    """Return the one the sentence names as speaking ('' if none): 據CSET統計 names a source,
    no speaker, but in 中信證券表示，據海關總署數據 the securities house speaks."""
    according = _ACCORDING_TITLE.search(sentence) or _ACCORDING.search(sentence)
    said = _said_by(sentence[: according.start()] if according else sentence)
    return said[1] if said else ""


def sentence_before(text: str, start: int) -> str:
    """Return the sentence of `text` that ends before `start`, '' if none does."""
    spans = [span for span in sentences(text[:start]) if span[1] <= start]
    return text[slice(*spans[-1])] if spans else ""


def _cited_origin(sentence: str) -> tuple[bool, str]:
    match = _ACCORDING_TITLE.search(sentence) or _ACCORDING.search(sentence)
    if match:
        # 中信證券表示，據海關總署數據，…: the one who cites the figures speaks first.
        speaker = _said_by(sentence[: match.start()])
        if speaker and speaker[1]:
            return speaker
        origin = match["origin"].strip()
        return True, origin if match.re is _ACCORDING_TITLE else _canonical(origin)
    match = _ENGLISH_TOLD.search(sentence)
    if match:
        return True, _ENGLISH_FRAME.sub("", match["outlet"])
    if _UNNAMED_COUNT.search(sentence) or _ENGLISH_UNNAMED.search(sentence):
        return True, ""
    match = (
        _ENGLISH.search(sentence)
        or _ENGLISH_SPEAKER.search(sentence)
        or _ENGLISH_SAID.search(sentence)
    )
    if match:
        named = (name for name in match.groupdict().values() if name)
        origin = _ENGLISH_FRAME.sub("", next(named, "").strip())
        return True, "" if _ENGLISH_KIND.fullmatch(origin) else origin
    if _ENGLISH_UNNAMED_SAID.search(sentence):
        return True, ""
    return _said_by(sentence) or (bool(_REPORTEDLY.search(sentence)), "")


def _said_by(sentence: str) -> tuple[bool, str] | None:
    """Return (cites, origin) from the first verb of saying in the sentence and the clause
    before it, or None if no verb says anything there."""
    for verb, clause in _sayings(sentence):
        if not clause.strip():
            if _UNNAMED_SAYS.fullmatch(verb):
                return True, ""  # 報告顯示，…: a report, not named
            continue
        if clause.strip() in _THIS:
            return False, ""
        return True, _canonical(clause)
    return None


def _speaker_clause(sentence: str) -> str | None:
    """Return the clause before the sentence's first verb of saying that has one, stripped."""
    return next((clause.strip() for _, clause in _sayings(sentence) if clause.strip()), None)


def _sayings(sentence: str):
    """Yield (verb, the clause before it) for each verb of saying in the sentence, in order."""
    # A title's own punctuation (《人工智慧超級大國：中國、矽谷和新世界秩序》) parts no
    # clause, and a verb inside it (《…報告顯示…》) is no one's saying.
    masked = _TITLE_SPAN.sub(lambda title: "《" + "_" * (len(title[0]) - 2) + "》", sentence)
    # A verb inside a quotation is the quoted speaker's, not the sentence's: in 「市場數據顯示
    # 需求強勁，」高盛分析師寫道 the one citing is the analyst.
    masked = _QUOTED.sub(_masked_quote, masked)
    for match in _SAYS.finditer(masked):
        before = sentence[: match.start()]
        cut = _CLAUSE_START.match(masked[: match.start()])
        yield match["verb"], before[cut.end() :] if cut else before


def _masked_quote(quote: re.Match) -> str:
    """Mask a quotation's words, keeping its marks as a clause's edge; a platform's name in
    quotation marks (在其社群平台「真實社群」發文) is masked whole, marks and all."""
    inner = quote[0][1:-1]
    before = quote.string[max(0, quote.start() - 3) : quote.start()]
    if len(inner) <= 8 and not _QUOTE_PUNCTUATION.search(inner) and before.endswith(_PLATFORMS):
        return "_" * len(quote[0])
    return quote[0][0] + "_" * len(inner) + quote[0][-1]


def _canonical(phrase: str) -> str:
    """Return the short name of a cited origin phrase, or '' when it names none."""
    phrase = _SETTING.sub("", phrase.strip())  # 在領英（LinkedIn）上撰文: a platform, not a name
    phrase = _PUBLISHED_BY.sub("", phrase)  # 這份報告由中華經濟研究院發布: the institute
    if _KIND_AFTER_OF.search(phrase):
        return ""  # 一名熟悉內情的消息人士: a source named by kind
    # 中華經濟研究院發布的採購經理人指數（PMI）: the acronym of what was published is not its author's.
    acronym = _ACRONYM.search(_HANDED_TAIL.sub("", _LEADING.sub("", phrase)))
    if acronym and not any(c.isspace() for c in acronym["acronym"]):
        return acronym["acronym"]
    title = phrase.find("《")
    if title >= 0:
        named = _TITLE_SPAN.search(phrase)
        before = _LEADING.sub("", phrase[:title].strip())
        if named and _PLACE_BEFORE_TITLE.match(before):
            # 據英國《金融時報》引述…: the paper, not the country
            return named[0][1:-1].strip()
    if title > 0:
        phrase = phrase[:title]
    phrase = phrase.replace("《", "").replace("》", "")
    phrase = _PARENTHESES.sub("", phrase)
    phrase = _LEADING.sub("", phrase.strip())
    if _COUNTED.match(phrase):
        return ""  # 一位頭部雲廠商高管, 一名美國官員: a person counted, not named
    phrase = _HEAD_TIME.sub("", phrase)
    phrase = _SUBSIDIARY.sub("", phrase)  # 字節跳動旗下的火山引擎: the subsidiary speaks
    phrase = _COUNTED_SPEAKER.sub("", phrase)  # Google一位發言人: Google's spokesperson
    titled = _TITLED_AFTER_OF.match(phrase)  # 拜登的商務部長雷蒙多: the secretary speaks
    phrase = titled["speaker"] if titled else phrase
    phrase = _TAIL.sub("", phrase) if not phrase.startswith(_TAIL_KEEP) else phrase
    phrase = _DESCRIPTOR.sub("", _TRAILING.sub("", phrase).strip(" ，,"))
    phrase = _HANDLE.sub("", phrase)  # 博主@數碼閒聊站: the account's handle names it
    pointed = _POINTED_TITLED.match(phrase)  # 该协会副理事长张伟: the vice-chair is named
    phrase = pointed["speaker"] if pointed else phrase
    if not phrase or len(phrase) > 30 or _is_pronoun(phrase) or _UNNAMED.match(phrase):
        return ""
    return phrase


def _is_pronoun(phrase: str) -> bool:
    """Whether the phrase points back rather than names: 他, 該公司, 這份報告, 我們; but
    那斯達克 and 我國外交部 (its descriptor gone) are names."""
    if phrase.startswith(("那", "我")):
        return len(phrase) == 1 or phrase[1] in "些個个位份項项篇家們们種种"
    return phrase.startswith(_PRONOUNS)


# He or she speaking, perhaps again or further (他還說, 她進一步指出, 他在會上表示): the one
# who spoke last. 他們 are more than one, 他的團隊 someone else, and 他人, 他國 and 他方 others.
_POINTED_BACK = re.compile("^(?:他|她)(?![們们的人國国方])")

_TAIL_KEEP = ("的",)
# 在領英（LinkedIn）上, 在台北國際電腦展（Computex）演講中, 接受美國有線電視新聞網（CNN）專訪時,
# 在向美國證管會（SEC）提交的20-F年報中: where or to whom one spoke, whose acronym is not the
# speaker's.
_SETTING = re.compile(
    r"(?<=.)(?:在|於|于|接受)[^，,在（(]{0,12}[（(][^）)]{1,20}[）)][^，,]{0,12}?(?:上|中|時|时)"
    r"(?=[^，,]{0,4}$)"
)
# What was published, before the one it was published by: 該數據由國家統計局發布.
_PUBLISHED_BY = re.compile(
    r"^(?:該|该|這|这|此|那)?(?:份|項|项|篇|組|组|批)?(?:數據|数据|報告|报告|調查|调查|資料|资料|"
    r"統計|统计|研究|文件|名單|名单|數字|数字|指數|指数)由(?=.{2})"
)
# 一位自稱字節員工的網友發帖: a netizen, too, is a source named by kind.
_KIND_AFTER_OF = re.compile(
    "的[^的，,]{0,6}(?:人士|知情者|網友|网友|網民|网民)(?:發文|发文|發帖|发帖)?$"
)
_TITLED_AFTER_OF = re.compile(
    r"^[^的，,]{1,12}的(?P<speaker>[^的，,]{0,10}(?:部長|部长|董事長|董事长|總裁|总裁|主席|院長|院长|"
    r"執行長|执行长|首席執行官|首席执行官|發言人|发言人|CEO|總經理|总经理|創辦人|创办人|創始人|创始人)"
    r"[^的，,]{1,20})$"
)
# A title and a name after an organisation pointed back to (该协会副理事长张伟, 該公司執行長黃仁勳)
# name the person as 拜登的商務部長雷蒙多 does; 該公司總裁辦公室 is an office, named by no one.
_POINTED_TITLED = re.compile(
    r"^(?:該|该|其)[^的，,]{1,4}?(?P<speaker>(?:副|首席)?(?:理事長|理事长|董事長|董事长|總裁|总裁|主席|"
    r"院長|院长|執行長|执行长|總經理|总经理|發言人|发言人|創辦人|创办人|創始人|创始人|會長|会长|"
    r"秘書長|秘书长|CEO)(?!辦公室|办公室|團隊|团队)[^的，,]{2,4})$"
)
# What describes an account before its handle: 博主@, 微博大V@, or a bare @.
_HANDLE = re.compile(r"^[^，,@]{0,8}@(?=.{2})")
_SUBSIDIARY = re.compile(r"^[^，,]{1,20}旗下的?(?=.{2})")
_COUNTED = re.compile("^(?:一位|一名|多位|多名|幾位|几位|數名|数名)")
_COUNTED_SPEAKER = re.compile(r"(?<=.)(?:一位|一名)(?=發言人|发言人|高層|高层|主管|官員|官员)")
