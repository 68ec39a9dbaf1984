"""Fill the configured database with realistic claims, at any size.

    .venv/bin/python benchmarks/generate.py --claims 2000                 # db.sqlite3, a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hecha_bench \\
        .venv/bin/python benchmarks/generate.py --claims 1000000          # 100,000 sources

The database is the one settings name (DATABASE_URL, as for the app). It must be migrated;
rows are added after any already there. Per 10 claims on average: one source, ten verdicts
from some fifty reviewers (a quarter of the claims have none), two cross-references; both
scripts, Hong Kong, Taiwanese and mainland sources, figures in several units with hedges and
periods, topics, cited origins from a long tail of names, and one creation entry in the change
history of every source, claim and cross-reference. One claim (printed at the end) carries
45 verdicts and 20 cross-references, as the busiest claims do.

Text is realistic: each quote is a sentence of the seed articles in the source's script, its
numbers changed, a regional word or two added, ending with the figure it states; some 12% of
claims mention 人工智能 (or 人工智慧), one in 10,000 a rare name (寒武纪, 壁仞). An article
is its claims' quotes in order with other seed sentences between them, so every quote is
anchored where its offsets say.

Search keys are those the services write: the same `compose_key` over the same fields, with
`core.search_keys.field_key` remembered for the fields drawn from small pools (titles' words,
outlets, origins, notes); `--verify` rebuilds a sample of rows with the services' own
`claim_search_key` and `source_search_key` and stops if any key differs.

Rows are written through the import's own sink (claims.imports.sink). On PostgreSQL each
table is filled through COPY, with its secondary indexes set aside during the load and built
again after it, as a large import sets them aside (claims.imports.indexes; a GIN index
updated row by row is most of the cost), and foreign keys not checked row by row (`session_replication_role = replica`: every reference is
made by this script to a row it wrote). The script then resets the id sequences and runs
VACUUM ANALYZE, as a database restored from a dump would be, and writes the texts the JSON
Lines export keeps of each reviewed claim (claims.services.export_texts), as a database in
use keeps them. Elsewhere (SQLite) it runs one INSERT over each batch, fine for tens of
thousands of claims. It prints rows per second per table.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import re
import sys
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REVIEWERS = 50
EDITORS = 5
SHOWCASE_VERDICTS = 45
SHOWCASE_CROSSREFS = 20
BATCH_SOURCES = 2_000
AI_SHARE = 0.12
RARE_SHARE = 0.0001

# Words mixed into quotes: (Simplified, Traditional) or regional pairs that keys fold together.
WORDS = [
    ("芯片", "晶片"),
    ("投资", "投資"),
    ("半导体", "半導體"),
    ("数据中心", "資料中心"),
    ("算力", "算力"),
    ("美国", "美國"),
    ("经济", "經濟"),
    ("云计算", "雲端運算"),
    ("台积电", "台積電"),
    ("英伟达", "輝達"),
    ("算法", "演算法"),
    ("软件", "軟體"),
    ("网络", "網路"),
    ("大模型", "大模型"),
    ("机器人", "機器人"),
    ("自动驾驶", "自動駕駛"),
]
AI = ("人工智能", "人工智慧")
RARE = [("寒武纪", "寒武紀"), ("壁仞", "壁仞")]
OUTLETS = [
    "新华社",
    "人民日报",
    "财新",
    "第一财经",
    "澎湃新闻",
    "36氪",
    "界面新闻",
    "经济观察报",
    "21世纪经济报道",
    "南方周末",
    "香港01",
    "明報",
    "星島日報",
    "南華早報中文版",
    "經濟日報",
    "中央社",
    "聯合報",
    "自由時報",
    "天下雜誌",
    "數位時代",
    "BBC中文",
    "美國之音",
    "自由亚洲电台",
    "德國之聲",
    "聯合早報",
    "同路人",
    "觀察者網",
]
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "成都", "武汉", "南京", "苏州", "合肥"]
CITIES += ["台北", "台中", "高雄", "新竹", "香港", "澳門", "西安", "重庆", "天津", "厦门"]
OUTLET_KINDS = ["日报", "晚报", "商报", "新闻网", "财经", "科技报", "电视台", "广播", "周刊"]
ORIGINS = [
    "CSET",
    "NBER",
    "国务院",
    "工信部",
    "中国信通院",
    "國科會",
    "資策會",
    "IDC",
    "Gartner",
    "麦肯锡",
    "斯坦福AI指数",
    "OECD",
    "世界银行",
    "国家统计局",
    "中国人民银行",
    "香港特區政府",
    "行政院",
    "清华大学",
    "北京大学",
    "中科院",
    "腾讯研究院",
    "阿里研究院",
    "百度",
    "华为",
]
ORIGIN_KINDS = ["研究院", "大学", "智库", "咨询公司", "实验室", "协会", "证券"]
SUMMARIES = [
    "",
    "",
    "Investment in AI.",
    "Size of the core AI industry.",
    "Chip output.",
    "Compute capacity of data centres.",
    "Number of AI companies.",
    "Government guidance funds for AI.",
    "Share of AI patents.",
    "AI talent shortage.",
]
SCOPES = [
    "",
    "",
    "China's core AI industry",
    "government VC funds' investment in AI",
    "intelligent computing capacity",
    "AI companies registered",
    "AI patents filed",
    "semiconductor imports",
]
NOTES = [
    "同一数字，口径相同。",
    "兩者的統計口徑不同。",
    "后者只计算了政府引导基金。",
    "來源引用同一份報告。",
    "年份不同，但趋势一致。",
    "数字相差十倍，疑为单位错误。",
    "原報告並未提到這個數字。",
]
DISPUTE_NOTES = [
    "原报告的数字是另一个。",
    "單位有誤：應為美元。",
    "年份不对。",
    "引述的機構並未發表此數字。",
]
UNITS = [
    # (unit, Simplified word, Traditional word, scale)
    ("CNY", "亿元", "億元", Decimal(100_000_000)),
    ("USD", "亿美元", "億美元", Decimal(100_000_000)),
    ("percent", "%", "%", Decimal(1)),
    ("count", "家", "家", Decimal(1)),
    ("HKD", "亿港元", "億港元", Decimal(100_000_000)),
    ("TWD", "亿新台币", "億新台幣", Decimal(100_000_000)),
]
HEDGES = [("", "", ""), ("approximately", "约", "約"), ("more_than", "超过", "超過")]
RELATIONS = ["supports", "contradicts", "same_figure", "different_scope", "related"]
FIRST_DAY = datetime.date(2015, 1, 1)
DAYS = (datetime.date(2025, 6, 30) - FIRST_DAY).days


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()


def zipf_choice(rng: random.Random, items: list, exponent: float = 1.1):
    """Return an item, the first ones far more often, as names in real data recur."""
    weights = list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))
    return rng.choices(items, cum_weights=weights)[0]


class Pools:
    """Text to draw from: seed sentences in both scripts and the names around claims."""

    def __init__(self, rng: random.Random):
        from core.chinese import _converter, search_key

        to_hant, to_hans = _converter("s2t.json"), _converter("t2s.json")
        ai_keys = {search_key(word) for word in AI}
        sentences = []
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            for sentence in re.split(r"(?<=[。！？])", text):
                sentence = sentence.strip()
                # Without the common word, so that how often it occurs is set here.
                if 12 <= len(sentence) <= 80 and "\n" not in sentence:
                    if not any(key in search_key(sentence) for key in ai_keys):
                        sentences.append(sentence.rstrip("。！？"))
        self.sentences = {
            "hans": [to_hans.convert(s) for s in sentences],
            "hant": [to_hant.convert(s) for s in sentences],
        }
        self.outlets = OUTLETS + [f"{c}{k}" for c in CITIES for k in OUTLET_KINDS]
        self.origins = ORIGINS + [
            f"{c}{w[0]}{k}" for c in CITIES for w in WORDS[:10] for k in ORIGIN_KINDS
        ]
        rng.shuffle(self.origins)
        self.authors = [f"{a}{b}" for a in "王李张刘陈杨黄赵吴周" for b in "伟芳娜敏静丽强磊军洋"]


def daily_time(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC) + datetime.timedelta(
        seconds=rng.randrange(86_400)
    )


class Generator:
    """Make rows as dicts of column values (attnames), ready for the sink."""

    def __init__(self, rng: random.Random, pools: Pools, *, article_chars: int):
        from core.search_keys import compose_key, field_key

        self.rng = rng
        self.pools = pools
        self.article_chars = article_chars
        self.key = lru_cache(maxsize=200_000)(field_key)
        self.search_key = field_key
        self.compose_key = compose_key

    def composed(self, lead: str, rest=(), tail: str = "", *, lead_pooled=False) -> str:
        # compose_key as the services call it, with the pooled fields' keys remembered.
        from core.search_keys import FIELD_BREAK, LEAD_END, TAIL_START

        lead_key = self.key(lead) if lead_pooled else self.search_key(lead)
        return (
            lead_key
            + LEAD_END
            + FIELD_BREAK.join(self.key(text) for text in rest)
            + TAIL_START
            + self.key(tail)
        )

    def word(self, script: str, pair: tuple[str, str]) -> str:
        return pair[1] if script == "hant" else pair[0]

    def sentence(self, script: str) -> str:
        return self.rng.choice(self.pools.sentences["hant" if script == "hant" else "hans"])

    def figure(self, script: str) -> dict:
        rng = self.rng
        unit, hans_word, hant_word, scale = rng.choice(UNITS)
        hedge, hans_hedge, hant_hedge = rng.choice(HEDGES)
        if unit == "percent":
            number = Decimal(rng.randrange(1, 1000)) / 10
            written = f"{number}"
        else:
            number = Decimal(rng.choice([rng.randrange(1, 100), rng.randrange(100, 100_000)]))
            written = f"{number:,}"
        word = hant_word if script == "hant" else hans_word
        text = f"{written}{word}"
        period = rng.random()
        start = rng.randrange(2014, 2031) if period < 0.6 else None
        end = None if start is None else (start if period < 0.45 else min(2035, start + 5))
        fields = {
            "figure_text": text,
            "value": number * scale,
            "unit": unit,
            "hedge": hedge,
            "period_start": start,
            "period_end": end,
            "scope": rng.choice(SCOPES),
        }
        if rng.random() < 0.05:
            fields["value_lower"] = fields["value"] * Decimal("0.9")
            fields["value_upper"] = fields["value"] * Decimal("1.1")
        written_hedge = hant_hedge if script == "hant" else hans_hedge
        return fields, f"{written_hedge}{text}"

    def quote(self, script: str) -> tuple[str, dict]:
        rng = self.rng
        sentence = re.sub(r"\d+", lambda _: str(rng.randrange(2, 9999)), self.sentence(script))
        parts = [sentence]
        for pair in rng.sample(WORDS, rng.choice((0, 0, 1, 2))):
            parts.insert(rng.randrange(len(parts) + 1), self.word(script, pair))
        if rng.random() < AI_SHARE:
            parts.insert(rng.randrange(len(parts) + 1), self.word(script, AI))
        for pair in RARE:
            if rng.random() < RARE_SHARE:
                parts.append(self.word(script, pair))
        figure = {}
        if rng.random() < 0.7:
            figure, written = self.figure(script)
            parts.append(written)
        return "，".join(parts) + "。", figure

    def source(self, pk: int, user_id: int, script: str) -> dict:
        rng = self.rng
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        region = {"hant": rng.choice(["tw", "hk"]), "hans": "cn"}.get(script) or rng.choice(
            ["hk", "other"]
        )
        title = "".join(self.word(script, pair) for pair in rng.sample(WORDS, 2))
        title += rng.choice(["報導", "观察", "追踪", "分析", "快讯"]) + f" 第{pk}篇"
        outlet = zipf_choice(rng, self.pools.outlets)
        author = rng.choice(self.pools.authors) if rng.random() < 0.7 else ""
        key = f"gen-{pk:08d}"
        added = daily_time(day, rng)
        return {
            "id": pk,
            "key": key,
            "title": title,
            "outlet": outlet,
            "author": author,
            "published_on": day if rng.random() > 0.02 else None,
            "url": f"https://news.example/{key}" if rng.random() < 0.9 else "",
            "script": script,
            "region": region,
            "text": "",
            "search_key": self.composed(title, (outlet, author, key), lead_pooled=False),
            "version": 1,
            "created_by_id": user_id,
            "created_at": added,
            "updated_at": added,
        }

    def claims_of(self, source: dict, first_pk: int, count: int, user_id: int) -> list[dict]:
        """Return `count` claims quoted from `source`, writing the source's article text."""
        from sources.anchors import CONTEXT_LENGTH

        rng = self.rng
        script = source["script"]
        pieces, quotes, length = [], [], 0
        for _ in range(count):
            filler = self.sentence(script) + "。"
            pieces.append(filler)
            length += len(filler)
            quote, figure = self.quote(script)
            quotes.append((quote, figure, length))
            pieces.append(quote)
            length += len(quote)
            if rng.random() < 0.3:
                pieces.append("\n\n")
                length += 2
        while length < self.article_chars:
            filler = self.sentence(script) + "。"
            pieces.append(filler)
            length += len(filler)
        text = "".join(pieces)
        source["text"] = text
        rows = []
        for n, (quote, figure, start) in enumerate(quotes):
            end = start + len(quote)
            created = source["created_at"] + datetime.timedelta(minutes=rng.randrange(1, 60 * 24))
            summary = rng.choice(SUMMARIES)
            origin = zipf_choice(rng, self.pools.origins) if rng.random() < 0.65 else ""
            row = {
                "id": first_pk + n,
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "source_id": source["id"],
                "source_published_on": source["published_on"],
                "quote": quote,
                "quote_start": start,
                "quote_end": end,
                "quote_prefix": text[max(0, start - CONTEXT_LENGTH) : start],
                "quote_suffix": text[end : end + CONTEXT_LENGTH],
                "is_anchored": True,
                "summary": summary,
                "attributed_to": origin,
                "figure_text": "",
                "value": None,
                "value_lower": None,
                "value_upper": None,
                "hedge": "",
                "unit": "",
                "period_start": None,
                "period_end": None,
                "scope": "",
                "version": 1,
                "created_by_id": user_id,
                "created_at": created,
                "updated_at": created,
            }
            row.update(figure)
            row["search_key"] = self.composed(
                quote,
                (summary, origin, row["figure_text"], row["scope"]),
                source["title"],
            )
            rows.append(row)
        return rows

    def verdicts(self, target: str, pk: int, count: int, reviewers: list[int], after) -> list:
        rng = self.rng
        rows, when = [], after
        for _ in range(count):
            when = when + datetime.timedelta(hours=rng.randrange(1, 24 * 30))
            kind = rng.choices(["agree", "dispute", "needs_context"], weights=(6, 2, 2))[0]
            note = ""
            if kind == "dispute":
                note = rng.choice(DISPUTE_NOTES)
            elif rng.random() < 0.3:
                note = rng.choice(NOTES)
            rows.append(
                {
                    "claim_id": pk if target == "claim" else None,
                    "crossref_id": pk if target == "crossref" else None,
                    "verdict": kind,
                    "note": note,
                    "search_key": self.composed(note, lead_pooled=True),
                    "reviewer_id": rng.choice(reviewers),
                    "created_at": when,
                }
            )
        return rows


def tally(row: dict, verdicts: list[dict]) -> None:
    """Set a claim's or cross-reference's tally from its verdicts, as the services keep it."""
    from claims.services.verdicts import tally_of

    current = {}
    for verdict in sorted(verdicts, key=lambda v: v["created_at"]):
        current[verdict["reviewer_id"]] = verdict["verdict"]
    row.update(tally_of(current.values()))
    if verdicts:
        row["updated_at"] = max(row["updated_at"], max(v["created_at"] for v in verdicts))


def history_rows(history_model, rows: list[dict], first_id: int, user_id: int) -> list[dict]:
    """Return one creation entry per row, as simple-history records a new record."""
    fields = {field.attname: field for field in history_model._meta.concrete_fields}
    copied = set(fields) - {"history_id", "history_date", "history_change_reason", "history_type"}
    copied.discard("history_user_id")
    # A field the row leaves to its default (the retraction fields, say) gets that default.
    defaults = {name: fields[name].get_default() for name in copied}
    entries = []
    for n, row in enumerate(rows):
        entry = {name: row.get(name, defaults[name]) for name in copied}
        entry.update(
            history_id=first_id + n,
            history_date=row["created_at"],
            history_change_reason=None,
            history_type="+",
            history_user_id=user_id,
        )
        entries.append(entry)
    return entries


class Writer:
    """Write rows of dicts to their tables, counting rows and time per table.

    Rows go through the import's own sink (claims.imports.sink): COPY on PostgreSQL, one
    executemany elsewhere. Every row carries its primary key.
    """

    def __init__(self, connection):
        from claims.imports.sink import TableSink

        self.connection = connection
        self.sink = TableSink(connection)
        self.counts = Counter()
        self.seconds = Counter()

    def begin(self, models) -> None:
        pass

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        self.sink.write(model, rows)
        self.seconds[model._meta.db_table] += time.perf_counter() - started
        self.counts[model._meta.db_table] += len(rows)

    def end(self, models) -> None:
        pass


class CopyWriter(Writer):
    """On PostgreSQL, with the foreign keys' triggers off during the load: the generator
    makes every key itself. The tables' secondary indexes are set aside around it
    (claims.imports.indexes), as a large import sets them aside."""

    def begin(self, models) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")

    def end(self, models) -> None:
        from claims.models import ClaimExportText

        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            # The load ran without triggers, those that empty the export's kept texts
            # (claims 0030) too: a claim already there may have gained cross-references.
            cursor.execute(f'TRUNCATE "{ClaimExportText._meta.db_table}"')
            for model in models:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
                    f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1, false)'
                )


def next_ids(models) -> dict:
    from django.db.models import Max

    return {
        model: (model.objects.aggregate(top=Max(model._meta.pk.attname))["top"] or 0) + 1
        for model in models
    }


def make_users() -> tuple[list[int], list[int]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims.roles import ensure_role_groups

    ensure_role_groups()
    User = get_user_model()
    ids = {}
    for role, prefix, count in (("Reviewer", "reviewer", REVIEWERS), ("Editor", "editor", EDITORS)):
        group = Group.objects.get(name=role)
        ids[role] = []
        for n in range(count):
            user, created = User.objects.get_or_create(username=f"gen-{prefix}-{n:02d}")
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(group)
            ids[role].append(user.pk)
    return ids["Reviewer"], ids["Editor"]


def generate(
    claims: int,
    *,
    crossrefs: int | None = None,
    verdicts_per_claim: float = 1.0,
    article_chars: int = 0,
    history: bool = True,
    seed: int = 20250301,
) -> dict:
    """Add `claims` claims with their sources, verdicts and cross-references; return counts."""
    from django.db import connection, transaction

    from claims.imports.indexes import indexes_set_aside
    from claims.models import Claim, CrossReference, Topic, Verdict
    from compare.models import ClaimOrigin, Origin
    from compare.services import claim_origin_links
    from sources.models import Source

    rng = random.Random(seed)
    pools = Pools(rng)
    gen = Generator(rng, pools, article_chars=article_chars)
    reviewers, editors = make_users()
    topics = list(Topic.objects.values_list("pk", flat=True))
    ClaimTopic = Claim.topics.through
    HistoricalSource = Source.history.model
    HistoricalClaim = Claim.history.model
    HistoricalClaimTopic = HistoricalClaim.historicalclaim_topics_set.rel.related_model
    HistoricalCrossReference = CrossReference.history.model
    # Each claim whose cited origin names a known one (CSET, 国务院…) is linked to it, as
    # claim_create links it: the lineages and the suggestions' "same cited origin" read them.
    origins, matched = list(Origin.objects.all()), {}
    models = [Source, Claim, ClaimTopic, Verdict, CrossReference, ClaimOrigin]
    if history:
        models += [
            HistoricalSource,
            HistoricalClaim,
            HistoricalClaimTopic,
            HistoricalCrossReference,
        ]
    crossrefs = claims // 5 if crossrefs is None else crossrefs
    postgres = connection.vendor == "postgresql"
    writer = CopyWriter(connection) if postgres else Writer(connection)
    started = time.perf_counter()

    with transaction.atomic(), ExitStack() as stack:
        ids = next_ids(models)
        first_claim = ids[Claim]
        writer.begin(models)
        # Built again when the block ends, after the rows are written (and timed apart).
        stack.enter_context(
            indexes_set_aside(
                models,
                connection=connection,
                progress=lambda line: print(f"  {line}", file=sys.stderr),
            )
        )
        made = 0
        showcase = None
        while made < claims:
            sources, claim_rows, links, verdict_rows = [], [], [], []
            for _ in range(BATCH_SOURCES):
                if made >= claims:
                    break
                script = rng.choices(["hans", "hant", "mixed"], weights=(5, 4, 1))[0]
                source = gen.source(ids[Source], rng.choice(editors), script)
                ids[Source] += 1
                count = min(rng.randrange(5, 16), claims - made)
                rows = gen.claims_of(source, ids[Claim], count, source["created_by_id"])
                ids[Claim] += count
                made += count
                for row in rows:
                    # A database may hold fewer topics than a claim is given (or none).
                    for topic in rng.sample(topics, min(len(topics), rng.choice((0, 1, 1, 2)))):
                        links.append(
                            {"id": ids[ClaimTopic], "claim_id": row["id"], "topic_id": topic}
                        )
                        ids[ClaimTopic] += 1
                    if showcase is None:
                        showcase = row["id"]
                        number = SHOWCASE_VERDICTS
                    else:
                        number = sum(rng.random() < verdicts_per_claim / 4 for _ in range(4))
                    given = gen.verdicts("claim", row["id"], number, reviewers, row["created_at"])
                    tally(row, given)
                    verdict_rows += given
                sources.append(source)
                claim_rows += rows
            writer.write(Source, sources)
            writer.write(Claim, claim_rows)
            writer.write(ClaimTopic, links)
            writer.write(
                ClaimOrigin,
                [
                    {"claim_id": pk, "origin_id": origin_id, "attributed_to": text}
                    for pk, origin_id, text in claim_origin_links(
                        ((row["id"], row["attributed_to"]) for row in claim_rows),
                        origins,
                        matched,
                    )
                ],
            )
            writer.write(Verdict, verdict_rows)
            if history:
                entries = history_rows(HistoricalSource, sources, ids[HistoricalSource], editors[0])
                ids[HistoricalSource] += len(entries)
                writer.write(HistoricalSource, entries)
                entries = history_rows(
                    HistoricalClaim, claim_rows, ids[HistoricalClaim], editors[0]
                )
                ids[HistoricalClaim] += len(entries)
                writer.write(HistoricalClaim, entries)
                entry_of = {
                    row["id"]: entry["history_id"]
                    for row, entry in zip(claim_rows, entries, strict=True)
                }
                topic_entries = []
                for link in links:
                    topic_entries.append(
                        {
                            "m2m_history_id": ids[HistoricalClaimTopic],
                            "id": link["id"],
                            "history_id": entry_of[link["claim_id"]],
                            "claim_id": link["claim_id"],
                            "topic_id": link["topic_id"],
                        }
                    )
                    ids[HistoricalClaimTopic] += 1
                writer.write(HistoricalClaimTopic, topic_entries)
            print(f"  {made:,} claims", file=sys.stderr)

        # Cross-references: mostly between claims of nearby sources (the same story told
        # by several outlets), some across the whole table; twenty on the showcase claim.
        last_claim = ids[Claim] - 1
        pairs = set()
        done = 0
        while done < crossrefs:
            rows, verdict_rows = [], []
            while len(rows) < 20_000 and done < crossrefs:
                if done < SHOWCASE_CROSSREFS:
                    a = showcase
                    b = showcase + 1 + done
                else:
                    a = rng.randint(first_claim, last_claim)
                    if rng.random() < 0.7:
                        b = min(last_claim, max(first_claim, a + rng.randint(-200, 200)))
                    else:
                        b = rng.randint(first_claim, last_claim)
                relation = rng.choice(RELATIONS)
                pair = (min(a, b), max(a, b), relation)
                if a == b or b > last_claim or pair in pairs:
                    continue
                pairs.add(pair)
                created = datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                    minutes=done
                )
                note = rng.choice(NOTES)
                row = {
                    "id": ids[CrossReference],
                    "from_claim_id": a,
                    "to_claim_id": b,
                    "relation": relation,
                    "note": note,
                    "search_key": gen.composed(note, lead_pooled=True),
                    "created_by_id": rng.choice(editors),
                    "created_at": created,
                    "updated_at": created,
                }
                ids[CrossReference] += 1
                given = gen.verdicts(
                    "crossref", row["id"], rng.choice((0, 0, 0, 1, 2)), reviewers, created
                )
                tally(row, given)
                verdict_rows += given
                rows.append(row)
                done += 1
            writer.write(CrossReference, rows)
            writer.write(Verdict, verdict_rows)
            if history:
                entries = history_rows(
                    HistoricalCrossReference, rows, ids[HistoricalCrossReference], editors[0]
                )
                ids[HistoricalCrossReference] += len(entries)
                writer.write(HistoricalCrossReference, entries)
            print(f"  {done:,} cross-references", file=sys.stderr)
        loaded = time.perf_counter() - started
        writer.end(models)
    indexed = time.perf_counter() - started - loaded
    if postgres:
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
    total = time.perf_counter() - started
    return {
        "writer": writer,
        "showcase": showcase,
        "loaded": loaded,
        "indexed": indexed,
        "total": total,
    }


def verify_keys(sample: int, seed: int) -> int:
    """Rebuild the keys of a sample of rows with the services' functions; return mismatches."""
    from claims.models import Claim, CrossReference
    from claims.search import claim_search_key, note_search_key
    from sources.services import source_search_key

    rng = random.Random(seed)
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = {rng.randint(1, top) for _ in range(sample)}
    wrong = 0
    for claim in Claim.objects.select_related("source").filter(pk__in=picked):
        if claim.search_key != claim_search_key(claim):
            wrong += 1
            print(f"  claim {claim.pk}: key differs", file=sys.stderr)
        if claim.source.search_key != source_search_key(claim.source):
            wrong += 1
            print(f"  source {claim.source.pk}: key differs", file=sys.stderr)
        if claim.source.text[claim.quote_start : claim.quote_end] != claim.quote:
            wrong += 1
            print(f"  claim {claim.pk}: not anchored", file=sys.stderr)
    for crossref in CrossReference.objects.order_by("?")[:sample]:
        if crossref.search_key != note_search_key(crossref.note):
            wrong += 1
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument(
        "--crossrefs", type=int, help="cross-references to add (default: a fifth of the claims)"
    )
    parser.add_argument(
        "--verdicts-per-claim", type=float, default=1.0, help="on average, 0 to 4 (default 1)"
    )
    parser.add_argument(
        "--article-chars", type=int, default=0, help="pad each article to this length"
    )
    parser.add_argument("--no-history", action="store_true", help="skip the change history")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument(
        "--verify", type=int, default=200, help="rows whose keys are rebuilt to check (0: none)"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(
        f"Adding {args.claims:,} claims to {connection.vendor} database "
        f"{connection.settings_dict['NAME']}…",
        file=sys.stderr,
    )
    result = generate(
        args.claims,
        crossrefs=args.crossrefs,
        verdicts_per_claim=args.verdicts_per_claim,
        article_chars=args.article_chars,
        history=not args.no_history,
        seed=args.seed,
    )
    writer = result["writer"]
    print("\n| table | rows | seconds writing | rows/s |")
    print("| --- | ---: | ---: | ---: |")
    for table, count in writer.counts.most_common():
        seconds = writer.seconds[table]
        print(f"| {table} | {count:,} | {seconds:.1f} | {count / max(seconds, 1e-9):,.0f} |")
    rows = sum(writer.counts.values())
    print(
        f"\n{rows:,} rows in {result['total']:.0f} s ({rows / result['total']:,.0f} rows/s): "
        f"{result['loaded']:.0f} s making and writing rows, {result['indexed']:.0f} s "
        f"building indexes, the rest VACUUM ANALYZE."
    )
    print(
        f"Claim with {SHOWCASE_VERDICTS} verdicts and {SHOWCASE_CROSSREFS} cross-references: "
        f"{result['showcase']}"
    )
    if connection.vendor == "postgresql":
        # As a desk's database holds them between exports (claims.services.export_texts).
        from claims.models import Claim, ClaimExportText
        from claims.services.export_texts import export_texts_refresh

        started = time.perf_counter()
        written = export_texts_refresh(claims=Claim.objects.reviewed())
        # As autovacuum would leave the table in time: counted, and its pages marked all
        # visible, so that the export's check of fresh texts reads their index alone.
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{ClaimExportText._meta.db_table}"')
        print(
            f"Export texts of {written:,} reviewed claims written in "
            f"{time.perf_counter() - started:.0f} s."
        )
    if args.verify:
        wrong = verify_keys(args.verify, args.seed)
        print(f"Keys and anchors checked on a sample of {args.verify} claims: {wrong} wrong.")
        if wrong:
            sys.exit(1)


if __name__ == "__main__":
    main()
