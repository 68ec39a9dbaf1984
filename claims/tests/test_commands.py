import re
import shutil
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse

from claims.models import Claim, ReviewStatus, Verdict
from claims.seeds import seed_public_id
from claims.services import verdict_create

PASSWORD_LINE = re.compile(r"username: (\S+)\s+password: (\S+)")


def create_demo_users(*args):
    """Run create_demo_users; return its output and the passwords it printed, by username."""
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    output = out.getvalue()
    return output, dict(PASSWORD_LINE.findall(output))


@pytest.fixture
def first_run(db):
    return create_demo_users()


def test_demo_users_get_one_account_per_role(first_run):
    users = {user.username: user for user in get_user_model().objects.prefetch_related("groups")}

    assert users["admin"].is_superuser and users["admin"].is_staff
    assert [g.name for g in users["editor"].groups.all()] == ["Editor"]
    assert [g.name for g in users["reviewer"].groups.all()] == ["Reviewer"]
    assert [g.name for g in users["viewer"].groups.all()] == ["Viewer"]
    assert not users["viewer"].is_staff


def test_each_printed_password_appears_once_and_logs_in(first_run, client):
    output, passwords = first_run

    assert sorted(passwords) == ["admin", "editor", "reviewer", "viewer"]
    for username, password in passwords.items():
        assert output.count(password) == 1
        assert client.login(request=HttpRequest(), username=username, password=password), username


def test_a_second_run_keeps_the_passwords_and_says_so(first_run, client):
    _, passwords = first_run

    output, printed = create_demo_users()

    assert printed == {}
    assert "keep their passwords" in output
    assert client.login(request=HttpRequest(), username="reviewer", password=passwords["reviewer"])


def test_reset_issues_new_passwords(first_run, client):
    _, old = first_run

    _, new = create_demo_users("--reset")

    assert sorted(new) == sorted(old)
    assert all(new[name] != old[name] for name in old)
    assert client.login(request=HttpRequest(), username="editor", password=new["editor"])
    assert not client.login(request=HttpRequest(), username="editor", password=old["editor"])


# The demo accounts' sample verdicts on the seeded claims (seeds/demo_verdicts.yaml)


@pytest.fixture
def seeded_then_demo_users(db):
    call_command("load_seeds", stdout=StringIO())
    return create_demo_users()


def seeded_claim(key):
    return Claim.objects.get(public_id=seed_public_id(key))


def test_demo_users_after_the_seeds_review_some_seeded_claims(seeded_then_demo_users):
    output, _ = seeded_then_demo_users

    assert "Sample verdicts on the seeded claims: 10 recorded" in output
    assert Verdict.objects.filter(reviewer__username="reviewer").count() == 6
    assert Verdict.objects.filter(reviewer__username="editor").count() == 4
    # Tallies and statuses follow, as for any verdict: two agree, a dispute beside a call
    # for context, context alone.
    papers = seeded_claim("000-papers-2019")
    assert (papers.review_status, papers.agree_count) == (ReviewStatus.AGREED, 2)
    funding = seeded_claim("001-state-led-funding")
    assert (funding.dispute_count, funding.needs_context_count) == (1, 1)
    assert seeded_claim("000-h800-chips").review_status == ReviewStatus.NEEDS_CONTEXT
    assert Claim.objects.reviewed().count() == 8


def test_the_export_page_of_a_new_installation_counts_the_sample_reviews(
    seeded_then_demo_users, client
):
    client.force_login(get_user_model().objects.get(username="viewer"))

    response = client.get(reverse("claims:export_overview"))

    assert response.context["reviewed_count"].value == 8


def test_demo_users_again_record_no_sample_verdict_twice(seeded_then_demo_users):
    output, _ = create_demo_users("--reset")

    assert "Sample verdicts" not in output
    assert Verdict.objects.count() == 10


def test_a_demo_account_that_reviewed_a_claim_itself_is_not_given_the_sample_verdict(db):
    call_command("load_seeds", stdout=StringIO())
    reviewer = get_user_model().objects.create_user("reviewer")
    verdict_create(
        claim=seeded_claim("000-h800-chips"), reviewer=reviewer, verdict="agree", note="Mine."
    )

    create_demo_users()

    assert list(
        seeded_claim("000-h800-chips").verdicts.values_list("reviewer__username", "note")
    ) == [("reviewer", "Mine.")]
    assert Verdict.objects.count() == 10


def test_demo_users_before_the_seeds_say_how_to_get_the_sample_verdicts(first_run):
    output, _ = first_run

    assert "No sample verdicts" in output
    assert "load_seeds" in output
    assert not Verdict.objects.exists()


def test_a_sample_verdict_on_an_unknown_claim_creates_no_account_and_names_it(
    db, tmp_path, settings
):
    shutil.copytree(settings.SEEDS_DIR, tmp_path / "seeds")
    path = tmp_path / "seeds" / "demo_verdicts.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("claim: 000-h800-chips", "claim: 000-h900", 1),
        encoding="utf-8",
    )
    settings.SEEDS_DIR = tmp_path / "seeds"

    with pytest.raises(CommandError) as caught:
        create_demo_users()

    assert "demo_verdicts.yaml, record 8" in str(caught.value)
    assert "'000-h900' is not in claims.yaml" in str(caught.value)
    assert not get_user_model().objects.exists()


def test_viewers_cannot_record_verdicts(viewer):
    assert viewer.has_perm("claims.view_claim")
    assert not viewer.has_perm("claims.add_verdict")
    assert not viewer.has_perm("claims.change_claim")


def test_reviewers_can_record_verdicts_but_not_edit_claims(reviewer):
    assert reviewer.has_perm("claims.add_verdict")
    assert not reviewer.has_perm("claims.change_claim")


def test_editors_can_change_claims(editor):
    assert editor.has_perm("claims.change_claim")
    assert editor.has_perm("claims.add_verdict")
