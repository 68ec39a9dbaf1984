"""Tests of claims.candidates: which sentences are proposed as claims, and whom they cite."""

import pytest

from claims.candidates import MAX_SENTENCE, cited_origin, propose_candidates

ARTICLE = (
    "據CSET統計，2014年至2024年美國私人AI投資約6050億美元，中國僅860億美元。"
    "今天天氣很好！"
    "美國喬治城大學安全與新興技術中心(CSET)指出，中國的投資正在增加。\n"
    "1. 根據國際數據公司（IDC）的報告，2023年台灣AI市場規模為新台幣1,215億元；"
    "史丹佛大學《2024年AI指數報告》顯示，中國有15個著名模型？"
    "國務院表示，將繼續支持人工智慧發展。"
    "他說：「我們今年投資了3億元。這很多。」"
    "這是一個很好的例子。"
)


def proposals(text=ARTICLE, region="tw"):
    return propose_candidates(text, region=region)


def test_each_sentence_with_a_figure_or_a_citation_is_proposed():
    quotes = [c.quote for c in proposals()]
    assert quotes == [
        "據CSET統計，2014年至2024年美國私人AI投資約6050億美元，中國僅860億美元。",
        "美國喬治城大學安全與新興技術中心(CSET)指出，中國的投資正在增加。",
        "根據國際數據公司（IDC）的報告，2023年台灣AI市場規模為新台幣1,215億元；",
        "史丹佛大學《2024年AI指數報告》顯示，中國有15個著名模型？",
        "國務院表示，將繼續支持人工智慧發展。",
        "他說：「我們今年投資了3億元。這很多。」",
    ]


def test_a_quote_is_exactly_the_text_between_its_offsets():
    for candidate in proposals():
        assert ARTICLE[candidate.start : candidate.end] == candidate.quote


def test_a_list_marker_and_surrounding_space_are_not_part_of_the_quote():
    candidate = proposals("\n  1. 據IDC統計，規模為100億美元。  \n")[0]
    assert candidate.quote == "據IDC統計，規模為100億美元。"


@pytest.mark.parametrize(
    "dateline",
    [
        "新华社北京11月3日电（记者 李明）",
        "中新网4月18日电 ",
        "（中央社記者張建中新竹16日電）",
        "（香港16日訊）",
        "本报讯（记者 陈静）",
        "【明報專訊】",
        "【經濟日報記者吳佳蓉／台北報導】",
    ],
)
def test_a_dateline_is_no_part_of_the_first_sentence_or_its_origin(dateline):
    text = f"AI晶片出貨量倍增\n{dateline}國家統計局表示，出貨量達120萬片。\n"
    candidate = proposals(text)[-1]
    assert candidate.quote == "國家統計局表示，出貨量達120萬片。"
    assert candidate.cited_origin == "國家統計局"


def test_a_byline_on_its_own_line_is_no_sentence():
    text = "21世纪经济报道记者 孙悦 北京报道\n据IDC统计，规模为16.9亿元。"
    assert [c.quote for c in proposals(text)] == ["据IDC统计，规模为16.9亿元。"]


def test_a_dateline_is_read_only_where_a_paragraph_opens():
    text = "國家統計局表示，出貨量達120萬片（較上季增加3萬片）。（香港16日訊）規模為5億元。"
    assert [c.quote for c in proposals(text)][-1] == "（香港16日訊）規模為5億元。"


@pytest.mark.parametrize(
    ("sentence", "origin"),
    [
        ("據CSET統計，美國投資6050億美元。", "CSET"),
        ("美國喬治城大學安全與新興技術中心(CSET)指出，中國投資860億美元。", "CSET"),
        ("根據國際數據公司（IDC）的報告，市場規模達100億美元。", "IDC"),
        ("國務院表示，將投入100億元。", "國務院"),
        ("史丹佛大學《2024年AI指數報告》顯示，美國有61個模型。", "史丹佛大學"),
        ("根據國家經濟研究局發布的2024年研究報告，總額達1,840億美元。", "國家經濟研究局"),
        ("据陆媒引述《中国人工智慧区域竞争力研究报告》显示,规模突破7,000亿元。", "陆媒"),
        ("據《Tortoise Media》統計，美國排名第一。", "Tortoise Media"),
        ("《時代》週刊分析稱，美國的領先優勢已縮小。", "時代週刊"),
        ("此外，小米CEO雷軍指出，人才需求達500萬人。", "小米CEO雷軍"),
        (
            "谷歌前中國區總裁李開復在2018年出版的《人工智慧超級大國：中國、矽谷和新世界秩序》"
            "一書中強調，中國有14億人。",
            "谷歌前中國區總裁李開復",
        ),
        ("According to IDC, spending rose 20%.", "IDC"),
        ("他指出，差距達10倍。", ""),
        ("規模為100億美元。", ""),
    ],
)
def test_the_cited_origin_is_a_short_canonical_name(sentence, origin):
    assert proposals(sentence)[0].cited_origin == origin


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        # He or she speaking right after a named speaker is that speaker, again or further.
        ("輝達執行長黃仁勳表示，需求強勁。他還說，中國佔營收13%。", "輝達執行長黃仁勳"),
        ("黃仁勳表示，需求強勁。\n他在會上指出，出貨量達100萬片。", "黃仁勳"),
        (
            "中信证券分析师张明表示，据海关数据，进口增长10%。她预计，全年增长15%。",
            "中信证券分析师张明",
        ),
        ("阿诺德解释说，标准包括三个方面。他举例说，论文数量增长30%。", "阿诺德"),
        # Not the source a sentence cites by 據, not across another sentence, not a group,
        # not someone else of his.
        ("據CSET統計，美國投資6050億美元。他指出，差距達10倍。", ""),
        ("黃仁勳表示，需求強勁。美國商務部週二公布新規。他表示，出口將減少30%。", ""),
        ("分析師表示，需求強勁。他們預計，規模達100億元。", ""),
        ("黃仁勳表示，需求強勁。他的團隊估計，出貨量達100萬片。", ""),
    ],
)
def test_he_or_she_speaking_after_a_named_speaker_cites_that_speaker(text, origin):
    assert proposals(text)[-1].cited_origin == origin


@pytest.mark.parametrize(
    ("sentence", "cites", "origin"),
    [
        # Verbs reporters cite with, beyond 指出 and 表示.
        ("赛迪顾问预计，到2025年市场规模将达500亿元。", True, "赛迪顾问"),
        ("中国半导体行业协会统计，2024年产业销售额为1.4万亿元。", True, "中国半导体行业协会"),
        ("台灣半導體產業協會（TSIA）統計，今年產值可達5.3兆元。", True, "TSIA"),
        ("初步統計，損失達10億元。", False, ""),
        ("国家网信办通报，截至2024年底共有302个模型备案。", True, "国家网信办"),
        ("行政長官李家超在施政報告中宣布，撥款10億元。", True, "行政長官李家超"),
        ("路透社報導，中國今年上半年進口晶片減少。", True, "路透社"),
        ("彭博社引述知情人士报道，腾讯将投资100亿元。", True, "彭博社"),
        ("据证券时报记者了解，多家券商已上调预测。", True, "证券时报"),
        ("消息指，阿里巴巴將在港設立研發中心。", True, ""),
        ("报告显示，超过八成受访企业已使用AI。", True, ""),
        ("According to a Reuters report, Huawei shipped 1 million chips.", True, "Reuters"),
        ("According to people familiar with the matter, ByteDance will invest.", True, ""),
        # Names without what surrounds them.
        ("根据中国信通院发布的《人工智能白皮书》，规模接近6000亿元。", True, "中国信通院"),
        ("官方媒体新华社报道称，投资达100亿元。", True, "新华社"),
        ("据财新援引接近监管部门人士的话称，规则将出台。", True, "财新"),
        ("DeepSeek创始人梁文锋在接受《暗涌》采访时称，成本很低。", True, "DeepSeek创始人梁文锋"),
        ("台積電董事長魏哲家在法說會上表示，需求強勁。", True, "台積電董事長魏哲家"),
        ("智谱AI首席执行官张鹏对记者表示，收入翻倍。", True, "智谱AI首席执行官张鹏"),
        ("市場研究機構TrendForce預估，出貨量將成長。", True, "TrendForce"),
        ("第三方机构QuestMobile的数据显示，月活跃用户数达1.57亿。", True, "QuestMobile"),
        ("全球市場研究機構Gartner最新預測，支出將達6,440億美元。", True, "Gartner"),
        ("據英國《金融時報》引述三名知情人士報導，交易已談妥。", True, "金融時報"),
        ("根據政府統計處的數字，失業率為3.1%。", True, "政府統計處"),
        ("据彭博社计算，三家公司的资本支出合计超过300亿美元。", True, "彭博社"),
        ("根據國家超級計算中心的數據，算力達10EFLOPS。", True, "國家超級計算中心"),
        # Sources named only by their kind.
        ("知情人士称，交易规模约10亿美元。", True, ""),
        ("有分析认为，管制刺激了国产芯片。", True, ""),
        ("据不完全统计，国内已发布的大模型超过200个。", True, ""),
        # Names with titles, times and settings around them.
        ("援引路透社的报道，英伟达将推出新芯片。", True, "路透社"),
        ("中金公司研报指出，算力需求将翻倍。", True, "中金公司"),
        ("美国商务部周二宣布，将收紧出口管制。", True, "美国商务部"),
        ("英伟达CEO黄仁勋此前表示，需求强劲。", True, "英伟达CEO黄仁勋"),
        ("廣達董事長林百里受訪時坦言，訂單滿載。", True, "廣達董事長林百里"),
        ("香港科技大學校長葉玉如接受本報訪問時表示，將擴招。", True, "香港科技大學校長葉玉如"),
        ("国务院印发的《意见》提出，到2027年普及率超70%。", True, "国务院"),
        ("Gartner分析师指出，支出将增长。", True, "Gartner"),
        ("分析師郭明錤指出，出貨量將下滑。", True, "郭明錤"),
        ("外媒彭博社報導，輝達將在台設立總部。", True, "彭博社"),
        ("我國外交部表示，將加強合作。", True, "外交部"),
        ("那斯達克數據顯示，科技股上漲3%。", True, "那斯達克"),
        ("专家委员会主席李明指出，投资将达10亿元。", True, "专家委员会主席李明"),
        ("Nvidia CEO Jensen Huang said demand was strong.", True, "Nvidia CEO Jensen Huang"),
        # Verbs of saying a comma follows, and what a reporter learnt from whom.
        ("上海市经信委主任吴金城介绍，全市算力规模已达10EFLOPS。", True, "上海市经信委主任吴金城"),
        ("私隱專員鍾麗玲提醒，市民應小心。", True, "私隱專員鍾麗玲"),
        ("摩根士丹利分析师在研报中写道，估值偏高。", True, "摩根士丹利"),
        ("记者从工信部获悉，6G研发已启动。", True, "工信部"),
        (
            "經濟部統計處副處長黃偉傑在記者會上說明，外銷訂單達621.2億美元。",
            True,
            "經濟部統計處副處長黃偉傑",
        ),
        ("衛福部長石崇良於記者會答問時說明，預算將增至1,200億元。", True, "衛福部長石崇良"),
        ("公司介绍了新产品。", False, ""),
        ("產品說明書長達300頁。", False, ""),
        # Hearsay and people named by kind.
        ("据悉，字节跳动计划投资100亿元。", True, ""),
        ("據了解，聯發科已與輝達合作。", True, ""),
        ("據報，阿里巴巴計劃分拆業務。", True, ""),
        ("一位接近监管部门的人士透露，新规有望出台。", True, ""),
        # Quotes, datelines, descriptors, subsidiaries and spokespeople.
        ("「市場數據顯示需求依然強勁，」高盛分析師在報告中寫道。", True, "高盛"),
        ("「我認為AI投資已經過熱，」軟銀創辦人孫正義說。", True, "軟銀創辦人孫正義"),
        ("新华社北京3月5日电 国务院总理李强表示，将加快发展。", True, "国务院总理李强"),
        ("黃仁勳於Computex主題演講時表示，需求強勁。", True, "黃仁勳"),
        ("經濟部長郭智輝上月表示，將擴大補助。", True, "經濟部長郭智輝"),
        ("该协会副理事长张伟表示，份额已提升至约三成。", True, "副理事长张伟"),
        ("該公司執行長黃仁勳也指出，需求強勁。", True, "執行長黃仁勳"),
        ("該公司總裁辦公室表示，將擴大投資。", True, ""),
        ("該公司表示，將擴大投資。", True, ""),
        ("市場研究公司Omdia估算，出貨量將成長。", True, "Omdia"),
        ("美國投資銀行摩根士丹利預料，需求將放緩。", True, "摩根士丹利"),
        ("本地券商交銀國際研究部主管洪灝指出，目標價為28,000點。", True, "交銀國際研究部主管洪灝"),
        ("大行高盛預測，恒指明年升至30,000點。", True, "高盛"),
        ("券商分析師表示，成交額將增長5%。", True, ""),
        ("有券商分析員話，AI概念股的估值已經偏高。", True, ""),
        ("新加坡《聯合早報》報道，談判已破裂。", True, "聯合早報"),
        ("字節跳動旗下的火山引擎表示，用量超過16兆。", True, "火山引擎"),
        ("Google一位發言人表示，問題已修正。", True, "Google發言人"),
        ("美國半導體行業協會（簡稱SIA）指出，銷售額成長。", True, "SIA"),
        ("華為回應，公司運營正常。", True, "華為"),
        ("中芯國際日前公告，將擴產。", True, "中芯國際"),
        ("Reuters reported that Huawei shipped more chips.", True, "Reuters"),
        ("According to data from IDC, shipments rose.", True, "IDC"),
        ("The company said revenue rose 94%.", True, ""),
        ("據傳，騰訊正在測試新模型。", True, ""),
        ("據內部消息，騰訊正在測試新模型。", True, ""),
        ("金管局被指今年已動用約1,300億元外匯基金。", True, ""),
        ("理想汽车被曝今年研发投入约120亿元。", True, ""),
        ("明報報道，金管局被指已動用約1,300億元。", True, "明報"),
        ("他被指定為發言人，任期3年。", False, ""),
        # Days, relaying, reports, outlets' labels and English wire phrasing.
        ("商务部新闻发言人何亚东22日表示，将采取措施。", True, "商务部新闻发言人何亚东"),
        ("行政院發言人李慧芝轉述，卓榮泰要求加速推動。", True, "行政院發言人李慧芝"),
        ("根據台積電財報，AI營收翻倍。", True, "台積電"),
        ("百度2025年第二季度财报显示，AI新业务收入突破100亿元。", True, "百度"),
        ("台積電第3季財報顯示，毛利率達59.5%。", True, "台積電"),
        ("麥肯錫一份報告指出，需求將成長。", True, "麥肯錫"),
        ("日媒《日經新聞》報導，交易已談妥。", True, "日經新聞"),
        ("美媒CNBC報導，輝達將投資。", True, "CNBC"),
        ("官方表示，將加強監管。", True, ""),
        ("但確實有記錄顯示，有些人將技術轉移。", True, ""),
        ("Reuters, citing two sources, reported that talks stalled.", True, "Reuters"),
        ("Demand remains strong, Nvidia CEO Jensen Huang said.", True, "Nvidia CEO Jensen Huang"),
        ("According to Chinese state media, output rose.", True, ""),
        ("該說法並不正確。", False, ""),
        ("台股今年表現顯示出強勁韌性。", False, ""),
        # Words that hold a verb of saying and say nothing.
        ("輝達稱霸AI晶片市場。", False, ""),
        ("台積電法說會將於下週舉行。", False, ""),
        ("三星顯示器出貨增加。", False, ""),
        ("管制主要指出口管制。", False, ""),
        ("誰說台灣沒有AI人才？", False, ""),
        # Hong Kong's 話 and 指, and verbs of telling, owning up and disclosing.
        ("科學園公司主席查毅超話，今年會引入50間初創。", True, "科學園公司主席查毅超"),
        ("「香港唔可以再蝕底，」孫東話。", True, "孫東"),
        ("佢話公司今年會再請多兩成工程師。", True, ""),
        ("有消息指騰訊將在港設立國際總部。", True, ""),
        ("智譜AI今日宣佈，已完成新一輪融資。", True, "智譜AI"),
        ("蘋果承認，其AI功能將延後推出。", True, "蘋果"),
        ("商汤科技在财报中披露，生成式AI收入增长超过200%。", True, "商汤科技"),
        ("立法會議員葛珮帆批評，政府的步伐太慢。", True, "立法會議員葛珮帆"),
        ("业内人士分析，国产GPU的软件生态仍是短板。", True, ""),
        ("就連拜登的商務部長雷蒙多都承認，管制沒有奏效。", True, "商務部長雷蒙多"),
        # Times, settings and descriptors around a name; people named only by their role.
        ("阿里巴巴上周五在财报电话会议上表示，收入增长18%。", True, "阿里巴巴"),
        ("工信部本月初表示，将出台专项行动方案。", True, "工信部"),
        ("国家发改委近期表示，将统筹布局算力网络。", True, "国家发改委"),
        ("政府發言人回應傳媒查詢時說，計劃會如期推行。", True, "政府發言人"),
        ("36氪从多位知情人士处获悉，智谱正在筹备IPO。", True, "36氪"),
        ("知情人士對《華爾街日報》表示，輝達正在開發新晶片。", True, ""),
        ("中国信通院与IDC联合发布的报告显示，增速超过50%。", True, "中国信通院与IDC"),
        ("面板大廠友達指出，需求明年可望回溫。", True, "友達"),
        ("彭博行業研究分析師表示，資本支出或增長三成。", True, "彭博行業研究"),
        ("華碩AI伺服器營收可望倍增，法人預估。", True, ""),
        ("公司相关负责人对记者表示，订单已排到明年。", True, ""),
        ("一名不願透露姓名的美國官員告訴路透社，新規將生效。", True, ""),
        # English wire phrasing: speakers at the end, outlets told, authors, hearsay.
        (
            "Self-sufficiency could reach 40%, Morgan Stanley analysts wrote in a note.",
            True,
            "Morgan Stanley",
        ),
        ("Demand remains strong in China, two sources told Reuters.", True, "Reuters"),
        ('"We are not behind," Liang Wenfeng told reporters.', True, "Liang Wenfeng"),
        (
            "In an interview with Bloomberg, Zhipu chief executive Zhang Peng said revenue tripled.",
            True,
            "Zhipu chief executive Zhang Peng",
        ),
        (
            "The report, released by the China Academy of Information and Communications Technology, estimates the sector at 578 billion yuan.",
            True,
            "China Academy of Information and Communications Technology",
        ),
        ("Analysts at Jefferies estimate that Huawei will ship 700,000 chips.", True, "Jefferies"),
        (
            "Data from the National Bureau of Statistics showed output rose 30%.",
            True,
            "National Bureau of Statistics",
        ),
        ("ByteDance is reportedly planning to spend $12 billion on chips.", True, ""),
        (
            "The Cyberspace Administration of China said on Friday that 302 services were registered.",
            True,
            "Cyberspace Administration of China",
        ),
        (
            "TSMC expects revenue to double this year, Chief Executive C.C. Wei said.",
            True,
            "Chief Executive C.C. Wei",
        ),
        # The one who cites speaks first; filings, lists and platforms around a name.
        ("中信證券表示，據海關總署數據，出口額增長20%。", True, "中信證券"),
        ("余晓晖在发布会上表示，根据测算，规模达到60万亿元。", True, "余晓晖"),
        ("港交所文件顯示，智譜AI已委任保薦人。", True, "港交所"),
        ("招股書顯示，摩爾線程去年虧損15億元。", True, ""),
        ("根據地平線向港交所遞交的招股說明書，累計虧損超過200億元。", True, "地平線"),
        (
            "台積電在向美國證管會（SEC）提交的20-F年報中揭露，美國客戶占比達70%。",
            True,
            "台積電",
        ),
        ("據路透社取得的一份內部文件，華為計劃生產60萬顆晶片。", True, "路透社"),
        ("根據瑞士洛桑國際管理學院（IMD）公布的世界競爭力年報，台灣排名第六。", True, "IMD"),
        (
            "中華經濟研究院發布的製造業採購經理人指數（PMI）顯示，10月指數為48.5。",
            True,
            "中華經濟研究院",
        ),
        ("在《福布斯》最新發布的全球億萬富豪榜上，黃仁勳排名第十。", True, "福布斯"),
        ("美國總統川普在其社群平台「真實社群」發文指出，將加徵關稅。", True, "美國總統川普"),
        (
            "前Google執行長施密特在領英（LinkedIn）上撰文指出，中國已追上。",
            True,
            "前Google執行長施密特",
        ),
        ("他在接受美國有線電視新聞網（CNN）專訪時說，市占率已降至零。", True, ""),
        ("黃仁勳接受美國有線電視新聞網（CNN）專訪時說，市占率已降至零。", True, "黃仁勳"),
        ("周鴻禕發微博稱，AI不會讓程序員失業。", True, "周鴻禕"),
        ("博主@数码闲聊站在微博爆料称，新款芯片良率已提升至60%。", True, "数码闲聊站"),
        ("知名爆料博主@定焦数码称，首批备货量约为1000万台。", True, "定焦数码"),
        ("博主爆料称，锁单量超过24万台。", True, ""),
        ("有博主爆料称，首销量已突破300万台。", True, ""),
        ("財政部長莊翠雲昨在記者會上宣布，將編列300億元預算。", True, "財政部長莊翠雲"),
        ("國民黨立委賴士葆質詢時指出，虧損恐超過千億元。", True, "國民黨立委賴士葆"),
        ("金管局發言人回覆本報查詢時表示，會密切留意。", True, "金管局發言人"),
        ("金管會今天上午10時宣布，核處1,200萬元罰鍰。", True, "金管會"),
        ("正如施密特在訪談中所說的那樣，智慧系統作用巨大。", True, "施密特"),
        # Sources named only by kind, and conclusions drawn by no one.
        ("消息人士向本報透露，港府將公布新措施。", True, ""),
        ("一名熟悉內情的消息人士說，蘋果正洽談合作。", True, ""),
        ("一位头部云厂商高管向记者坦言，GPU租赁价格已下跌近四成。", True, ""),
        ("「今年需求至少翻倍，」一位台系ODM廠高層說。", True, ""),
        ("而一名美國官員表示，新規將生效。", True, ""),
        ("有銀行界人士估計，按揭貸款將下跌一成。", True, ""),
        ("有網民在連登討論區發帖指，某公司裁減約三成人手。", True, ""),
        ("小红书上一位自称字节员工的网友发帖称，起薪达50万元。", True, ""),
        ("周鴻禕發帖稱，AI不會讓程序員失業。", True, "周鴻禕"),
        ("多位券商分析師預計，指數有望重返4000點。", True, ""),
        ("公司公告稱，擬回購股份。", True, ""),
        ("市场普遍认为，美联储将在9月降息。", True, ""),
        ("研究結果表明，準確率提高了15%。", True, ""),
        ("業界普遍預期，記憶體價格將回升。", True, ""),
        ("立委質疑，海外設廠恐導致技術外流。", True, ""),
        ("實踐表明，開源策略讓DeepSeek獲得關注。", False, ""),
        ("這些基金籌集的資金往往少於預期，並且未能部署。", False, ""),
        ("也就是通常所說的政府補貼。", False, ""),
        ("该公司获得专精特新“小巨人”企业称号。", False, ""),
        ("一位說客今天會見了多名議員。", False, ""),
        # English: speakers after the figures, inverted, and named by kind.
        (
            "Exports fell 74% in May, the General Administration of Customs said on Friday.",
            True,
            "General Administration of Customs",
        ),
        (
            '"The demand is insane," said Jensen Huang, Nvidia\'s chief executive.',
            True,
            "Jensen Huang",
        ),
        (
            '"We will keep investing," Tencent President Martin Lau told analysts on a call.',
            True,
            "Tencent President Martin Lau",
        ),
        ("ByteDance plans to spend $20 billion, said people familiar with the matter.", True, ""),
        ("Shares rose 5% after the company said revenue would grow.", True, ""),
        ("Chinese officials have argued that the controls hurt supply chains.", True, ""),
        # Words that hold a verb of saying and cite no one.
        ("京東方顯示面板出貨量居全球之冠。", False, ""),
        ("腾讯混元大模型被认为是国内最大的模型之一。", False, ""),
        ("寒武纪已向上交所提出定增申请，拟募资50亿元。", False, ""),
        ("这部科幻小说描写了人工智能统治下的社会。", False, ""),
        ("黄仁勋的主题演说长达两个小时。", False, ""),
        ("该公司去年将名称改为“智元机器人”。", False, ""),
        ("月之暗面以支持长文本著称。", False, ""),
        ("林某自稱曾任職輝達，詐騙金額達300萬元。", False, ""),
        ("他打了電話給公司。", False, ""),
        ("他們講普通話，也講廣東話。", False, ""),
        ("案例分析：智譜AI", False, ""),
        # What a speaker did in saying it is no part of the name.
        ("国家统计局首席统计师董莉娟解读称，CPI同比上涨0.2%。", True, "国家统计局首席统计师董莉娟"),
        ("運輸及物流局局長陳美寶續指，項目投資約1,000億元。", True, "運輸及物流局局長陳美寶"),
        ("醫管局行政總裁高拔陞補充說，病床將增加約400張。", True, "醫管局行政總裁高拔陞"),
        ("創新科技及工業局局長孫東補充，使用率達到九成。", True, "創新科技及工業局局長孫東"),
        ("港交所行政總裁陳翊庭又指，平均每日成交額達2,470億港元。", True, "港交所行政總裁陳翊庭"),
        ("騰訊總裁劉熾平又表示，混元已接入超過700個業務場景。", True, "騰訊總裁劉熾平"),
        ("協會理事長侯永清致詞時指出，產值將達6.5兆元。", True, "協會理事長侯永清"),
        ("發言人李慧芝會後記者會轉述，普發現金每人1萬元。", True, "發言人李慧芝"),
        # Courts: their rulings, judgments and reports name the court.
        ("上海市高级人民法院判决书显示，赔偿损失500万元。", True, "上海市高级人民法院"),
        ("區域法院判詞指出，被告詐騙約800萬元。", True, "區域法院"),
        ("最高人民法院工作报告显示，审结案件54.4万件。", True, "最高人民法院"),
        ("據智慧財產及商業法院判決，被告須賠償1.5億元。", True, "智慧財產及商業法院"),
        ("高等法院原訟法庭裁定，被告須支付約2.3億元。", True, "高等法院原訟法庭"),
        # What was published, and by whom.
        ("该数据由国家统计局于周一发布，GDP同比增长5.4%。", True, "国家统计局"),
        ("這份報告由中華經濟研究院發布，顯示PMI為47.9%。", True, "中華經濟研究院"),
        ("國科會提出的方案顯示，將投入1,000億元。", True, "國科會"),
        # Not citations.
        ("DeepSeek被外界称为“AI界的拼多多”。", False, ""),
        ("國產AI晶片的出貨量預計將在明年翻番。", False, ""),
        ("醫院管理局須補充人手。", False, ""),
        ("主計總處將於11月28日再度更新預測。", False, ""),
        ("行政院會今（24）日通過國科會提出的「AI新十大建設」推動方案。", False, ""),
        ("這顯示，市場仍在成長。", False, ""),
    ],
)
def test_an_origin_is_cited_as_reporters_cite_one(sentence, cites, origin):
    assert cited_origin(sentence) == (cites, origin)


def test_a_sentence_carries_its_figures_with_offsets_in_the_text():
    candidate = proposals()[0]
    assert [f.text for f in candidate.figures] == ["約6050億美元", "860億美元"]
    assert all(ARTICLE[f.start : f.end] == f.text for f in candidate.figures)


def test_the_period_comes_from_the_first_figure_or_else_the_sentence():
    first, _, third, *_ = proposals()
    assert (first.period_start, first.period_end) == (2014, 2024)
    assert (third.period_start, third.period_end) == (2023, 2023)
    cited = proposals("2017年，國務院表示將支持人工智慧。")[0]
    assert (cited.period_start, cited.period_end) == (2017, 2017)


def test_a_sentence_inside_quotes_is_not_split():
    candidate = proposals("他說：「今年投資3億元。明年更多。」")[0]
    assert candidate.quote == "他說：「今年投資3億元。明年更多。」"


def test_a_long_sentence_is_cut_at_a_comma():
    text = "，".join(["據統計規模達100億美元"] + ["這是很長的一段說明文字"] * 60) + "。"
    for candidate in proposals(text):
        assert len(candidate.quote) <= MAX_SENTENCE
        assert text[candidate.start : candidate.end] == candidate.quote


@pytest.mark.parametrize(
    "text", ["", "\ud800", "。。。\n\n", "「" * 5000 + "100億美元。", "1," * 50000]
)
def test_hostile_input_returns_without_raising(text):
    for candidate in propose_candidates(text):
        assert text[candidate.start : candidate.end] == candidate.quote


@pytest.mark.parametrize(
    ("sentence", "proposed"),
    [
        ("2019年，中國發表的人工智慧論文數量超過美國。", True),
        ("中國也培育了比美國更多的優秀人才。", True),
        ("目標是在2030年達到世界領先水準。", True),
        ("中国在这一轮的技术竞争中到底能否赶上美国？", False),
        ("這是一個重要的問題。", False),
    ],
)
def test_a_comparison_of_rivals_is_proposed_without_a_figure(sentence, proposed):
    assert bool(proposals(sentence)) is proposed
