"""Template tags that show article and claim text in the reader's script (see core.reading).

`{% read claim.quote claim.source search_terms %}` converts and marks one text;
`{% reading_notice %}` says, on a page that shows converted text, that it is converted and
links to the text as published; `{% reading_switcher %}` is the header's choice of script.
"""

from django import template
from django.utils.translation import get_language

from core import reading
from core.chinese import convert_for_reading
from core.models import Reading

register = template.Library()


def _url_with(request, value):
    query = request.GET.copy()
    query.pop(reading.PARAM, None)
    if value is not None:
        query[reading.PARAM] = value
    encoded = query.urlencode()
    return request.path + ("?" + encoded if encoded else "")


@register.simple_tag(takes_context=True)
def read(context, text, source, terms=None):
    """Return `text` of `source` in the page's reading script, escaped, search words marked."""
    target = reading.reading_of(context.get("request"))
    if not terms:
        # Plain text, escaped where it is shown: `{% read ... as quote %}{{ quote|truncatechars:80 }}`.
        return reading.convert(text, source=source, target=target).text
    return reading.marked(text, source=source, target=target, terms=terms)


@register.simple_tag(takes_context=True)
def reading_lang(context, source):
    """Return the lang attribute of `source`'s text as this page shows it."""
    return reading.lang_of(source, target=reading.reading_of(context.get("request")))


@register.inclusion_tag("includes/reading_notice.html", takes_context=True)
def reading_notice(context, changed=None):
    """Say that the page's text is converted, with a link to it as published.

    `changed=False` (a page that knows nothing on it was converted) shows nothing; on a page
    opened as published with `?reading=`, the notice links back to the reader's own choice.
    """
    request = context.get("request")
    if request is None:
        return {"shown": False}
    target = reading.reading_of(request)
    chosen = reading.chosen_reading(request)
    if target == reading.PUBLISHED:
        return {
            "shown": chosen != reading.PUBLISHED,
            "converted": False,
            "chosen_label": Reading(chosen).label,
            "chosen_url": _url_with(request, None),
        }
    return {
        "shown": changed is not False,
        "converted": True,
        "label": Reading(target).label,
        "original_url": _url_with(request, reading.PUBLISHED),
    }


@register.inclusion_tag("includes/reading_switcher.html", takes_context=True)
def reading_switcher(context):
    """Return the header's form for choosing the reading script, remembered for the reader."""
    request = context.get("request")
    return {
        "choices": Reading.choices,
        "current": reading.chosen_reading(request) if request else reading.PUBLISHED,
        # Back to the same page, without a one-page `?reading=` that would hide the choice.
        "next": _url_with(request, None) if request else "/",
        "csrf_token": context.get("csrf_token"),
    }


# A text worded in one Chinese interface language, shown to a reader of the other: its
# script and the target of the conversion.
_OTHER_SCRIPT = {
    ("zh-hans", "zh-hant"): ("hans", "hant_tw"),
    ("zh-hant", "zh-hans"): ("hant", "hans"),
}


@register.filter
def in_page_script(text, language):
    """Return `text`, worded in the interface language `language` (a job's report, in the
    language of whoever started it), in the page's Chinese script where the two differ."""
    scripts = _OTHER_SCRIPT.get((language or "", get_language() or ""))
    if not text or scripts is None:
        return text
    return convert_for_reading(str(text), script=scripts[0], region="other", target=scripts[1]).text
