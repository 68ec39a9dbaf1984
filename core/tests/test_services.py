import pytest
from django.core.exceptions import ValidationError

from core.models import UserPreferences
from core.services import preferences_set_reading


def test_a_users_preferences_are_made_on_their_first_choice_and_changed_after(reviewer):
    assert not UserPreferences.objects.filter(user=reviewer).exists()

    preferences_set_reading(user=reviewer, reading="hant_tw")
    preferences_set_reading(user=reviewer, reading="hans")

    assert list(UserPreferences.objects.values_list("user", "reading")) == [(reviewer.pk, "hans")]


def test_a_reading_that_names_no_script_is_refused_and_nothing_is_saved(reviewer):
    with pytest.raises(ValidationError) as error:
        preferences_set_reading(user=reviewer, reading="hant")

    assert "reading" in error.value.message_dict
    assert not UserPreferences.objects.exists()
