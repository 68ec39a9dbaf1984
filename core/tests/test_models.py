from core.chinese import READING_CHOICES
from core.models import Reading


def test_the_stored_choices_are_the_ones_the_conversion_knows():
    assert Reading.values == [value for value, _ in READING_CHOICES]
