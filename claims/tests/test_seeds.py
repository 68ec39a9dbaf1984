import datetime
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.models import Claim, CrossReference
from sources.models import Source

WEB_PAGE_KEY = "003_925181173936b3c8"


def load(directory=None):
    """Run load_seeds and return what it printed."""
    out = StringIO()
    options = {"dir": directory} if directory is not None else {}
    call_command("load_seeds", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return load()


@pytest.fixture
def seed_copy(db, tmp_path):
    """Return a writable copy of the seeds and a function that edits one of its files."""
    directory = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, directory)

    def edit(name, old, new):
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return directory, edit


def refusal(directory):
    """Load a broken seed folder and return the error message; nothing must be saved."""
    with pytest.raises(CommandError) as caught:
        load(directory)
    assert not Source.objects.exists()
    assert not Claim.objects.exists()
    assert not CrossReference.objects.exists()
    return str(caught.value)


def test_seeds_load_five_sources_with_claims_in_each(seeded):
    assert Source.objects.count() == 5
    assert Claim.objects.count() >= 40
    assert set(Claim.objects.values_list("source__key", flat=True)) == set(
        Source.objects.values_list("key", flat=True)
    )


def test_seeds_load_crossrefs_with_notes_and_varied_relations(seeded):
    crossrefs = CrossReference.objects.all()

    assert crossrefs.count() >= 12
    assert not crossrefs.filter(note="").exists()
    assert crossrefs.filter(relation="contradicts").exists()
    assert crossrefs.filter(relation="different_scope").count() >= 3


def test_every_seeded_quote_stands_at_its_offsets(seeded):
    misplaced = [
        claim.quote
        for claim in Claim.objects.select_related("source")
        if claim.source.text[claim.quote_start : claim.quote_end] != claim.quote
    ]

    assert misplaced == []
    assert not Claim.objects.filter(is_anchored=False).exists()


def test_seeded_web_page_is_stored_as_plain_text_with_front_matter_metadata(seeded):
    source = Source.objects.get(key=WEB_PAGE_KEY)

    assert "<" not in source.text
    assert source.title == "中美在人工智能正面竞争 美方希望管控风险"
    assert source.url.startswith("https://www.rfa.org/mandarin/yataibaodao/kejiaowen/")
    assert source.published_on == datetime.date(2024, 10, 29)


def test_a_saved_page_keeps_only_the_article_between_its_body_markers(seeded):
    text = Source.objects.get(key="004_007ced95f472c13d").text

    assert text.startswith("長期以來,美國憑藉其雄厚的科研實力")
    assert text.endswith("參與該公司 4 億美元的投資。")
    for furniture in ("帳號:", "密碼:", "瀏覽人次", "相關新聞", "Copyright"):
        assert furniture not in text


def test_a_body_marker_missing_from_the_article_loads_nothing_and_names_the_record(seed_copy):
    directory, edit = seed_copy
    edit("sources.yaml", "body_ends: 參與該公司 4 億美元的投資。", "body_ends: 文中沒有這句話。")

    message = refusal(directory)

    assert "004_007ced95f472c13d" in message
    assert "body_ends '文中沒有這句話。' is not in the article" in message


def test_loading_the_seeds_again_changes_nothing(seeded):
    def state():
        return {
            "rows": (Source.objects.count(), Claim.objects.count(), CrossReference.objects.count()),
            "history": (
                Source.history.count(),
                Claim.history.count(),
                CrossReference.history.count(),
            ),
            "updated": sorted(Claim.objects.values_list("pk", "updated_at"))
            + sorted(Source.objects.values_list("pk", "updated_at")),
        }

    before = state()

    output = load()

    assert state() == before
    assert "nothing changed" in output


def test_loading_the_seeds_again_leaves_what_an_editor_retracted_retracted(seeded, editor):
    from claims.services import claim_retract, source_retract

    source = Source.objects.order_by("pk").first()
    for claim in Claim.objects.filter(source=source):
        claim_retract(claim=claim, user=editor, reason="not for this desk")
    source_retract(source=source, user=editor, reason="not for this desk")
    standing = (Source.objects.count(), Claim.objects.count(), CrossReference.objects.count())

    output = load()

    assert (Source.objects.count(), Claim.objects.count(), CrossReference.objects.count()) == (
        standing
    )
    assert Source.all_objects.get(pk=source.pk).is_retracted
    assert "1 left retracted" in output
    assert "nothing changed" in output


def test_a_quote_missing_from_its_article_loads_nothing_and_names_the_record(seed_copy):
    directory, edit = seed_copy
    edit(
        "claims.yaml",
        "quote: 2023年，中国人工智能核心产业规模为1751亿元",
        "quote: 2023年，中国人工智能核心产业规模为9999亿元",
    )

    message = refusal(directory)

    assert "claims.yaml" in message
    assert "003-core-industry-2023" in message
    assert "quote not found" in message


def test_a_crossref_to_an_unknown_claim_loads_nothing_and_names_it(seed_copy):
    directory, edit = seed_copy
    edit("crossrefs.yaml", "to: 001-cset-investment\n", "to: 001-no-such-claim\n")

    message = refusal(directory)

    assert "crossrefs.yaml" in message
    assert "001-no-such-claim" in message


def test_malformed_yaml_loads_nothing_and_names_the_file(seed_copy):
    directory, edit = seed_copy
    edit("claims.yaml", "- key: 000-plan-2017\n", "- key: [000-plan-2017\n")

    message = refusal(directory)

    assert "claims.yaml" in message
    assert "not valid YAML" in message


def test_an_unknown_source_field_loads_nothing_and_names_the_record(seed_copy):
    directory, edit = seed_copy
    edit("sources.yaml", "  outlet: CTIMES\n", "  outlet: CTIMES\n  publisher: 某出版社\n")

    message = refusal(directory)

    assert "sources.yaml" in message
    assert "004_007ced95f472c13d" in message
    assert "publisher" in message


def test_a_seed_figure_takes_numbers_written_with_thousands_separators_or_as_numbers(seed_copy):
    directory, edit = seed_copy
    edit(
        "claims.yaml",
        "    value: '1000'\n    lower: '1000'\n",
        "    value: '1,000'\n    lower: 1000\n",
    )

    load(directory)

    claim = Claim.objects.get(quote="目前中國大學有一千多個人工智慧學位課程")
    assert (claim.value, claim.value_lower, claim.unit) == (1000, 1000, "count")


def test_a_seed_figure_field_named_otherwise_than_in_exports_loads_nothing(seed_copy):
    directory, edit = seed_copy
    edit("claims.yaml", "    value: '17'\n", "    value: '17'\n    value_lower: '17'\n")

    message = refusal(directory)

    assert "000-top25-2019" in message and "unknown figure field(s): value_lower" in message
