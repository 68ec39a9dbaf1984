import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

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
