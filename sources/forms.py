from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedForm
from sources.models import Source
from sources.services import SOURCE_EDITABLE_FIELDS


class SourceForm(VersionedForm):
    # A URL typed without a scheme means https, as it will in Django 6.
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = SOURCE_EDITABLE_FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 20}),
            # The browser's own date picker; the value travels as YYYY-MM-DD either way.
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # source_create proposes one from the URL or the title.
            self.fields["key"].required = False
            self.fields["key"].help_text = _(
                "A stable identifier used by imports; leave it empty to have one made from "
                "the URL or the title (in pinyin)."
            )

    def clean_url(self):
        """Refuse a URL another source has, naming that source and linking to it.

        The URL's unique constraint would refuse it too, but with no word of which source
        has it, and the editor may well be adding that article a second time.
        """
        url = self.cleaned_data["url"]
        holder = (
            Source.objects.filter(url=url)
            .exclude(pk=self.instance.pk)
            .defer("text", "search_key")
            .first()
            if url
            else None
        )
        if holder is not None:
            raise ValidationError(url_taken_by(holder), code="unique")
        return url


def url_taken_by(holder: Source) -> str:
    """Say that `holder` already has the URL given, with its title linked to its page."""
    link = format_html(
        '<a href="{}" lang="{}" dir="auto">{}</a>',
        holder.get_absolute_url(),
        holder.lang,
        holder.title,
    )
    return mark_safe(
        escape(gettext("Another source already has this URL: %(source)s.")) % {"source": link}
    )
