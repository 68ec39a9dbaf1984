"""The translation catalogues are complete, compiled, and hold every string the code marks.

The strings are found in pure Python, as `makemessages` finds them, so no gettext tools are
needed to run this: templates through Django's own templatize, Python modules through their
syntax tree, the page scripts by their gettext calls.
"""

import ast
import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("zh_Hant", "zh_Hans")
DOMAINS = ("django", "djangojs")
# Where `make messages` does not look (see the Makefile): the tests, the benchmarks, and
# what is not Hecha's own code.
SKIPPED_PARTS = {".venv", "venv", "benchmarks", "tests", "migrations", "staticfiles", "locale"}

PYTHON_FUNCTIONS = {
    # name: positions of (context, singular, plural)
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
TEMPLATE_CALL = re.compile(r"\b(npgettext|pgettext|ngettext|gettext|_)\(")
TEMPLATE_ARGUMENT = re.compile(r"""\s*u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*(,)?""")
SCRIPT_CALL = re.compile(r"""\bgettext\(("(?:[^"\\]|\\.)*")\)""")


def catalogue(language, domain="django"):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def keys(entries):
    return {(entry.msgctxt, entry.msgid) for entry in entries if entry.msgid and not entry.obsolete}


def source_files(suffix):
    root = Path(settings.BASE_DIR)
    for path in sorted(root.rglob(f"*{suffix}")):
        parts = set(path.relative_to(root).parts)
        if parts & SKIPPED_PARTS or path.name == "conftest.py":
            continue
        yield path


def python_strings(path):
    """Yield (context, msgid) for each string that a module passes to a gettext function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in PYTHON_FUNCTIONS:
            continue
        context_at, singular_at, _plural_at = PYTHON_FUNCTIONS[name]
        arguments = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args]
        if len(arguments) <= singular_at or not isinstance(arguments[singular_at], str):
            continue  # a variable, as in gettext(message): nothing to extract
        context = arguments[context_at] if context_at is not None else None
        yield context, arguments[singular_at]


def template_strings(path):
    """Yield (context, msgid) for each string that a template marks for translation."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for call in TEMPLATE_CALL.finditer(code):
        arguments, position = [], call.end()
        while match := TEMPLATE_ARGUMENT.match(code, position):
            arguments.append(ast.literal_eval(match[1]))
            position = match.end()
            if not match[2]:
                break
        if call[1].startswith(("pgettext", "npgettext")):
            yield arguments[0], arguments[1]
        elif arguments:
            yield None, arguments[0]


def script_strings(path):
    for match in SCRIPT_CALL.finditer(path.read_text(encoding="utf-8")):
        yield None, json.loads(match[1])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_of_a_catalogue_is_translated_and_none_is_fuzzy(language, domain):
    entries = [entry for entry in catalogue(language, domain) if not entry.obsolete]

    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]

    assert entries
    assert untranslated == [], f"{language}/{domain}: not translated"
    assert fuzzy == [], f"{language}/{domain}: marked fuzzy"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_a_translation_keeps_the_placeholders_of_its_text(language, domain):
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    wrong = []
    for entry in catalogue(language, domain):
        translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
        expected = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        for translation in translations:
            # A Chinese plural form may leave out a placeholder its English forms share.
            if not set(placeholder.findall(translation)) <= expected:
                wrong.append((entry.msgid, translation))
            if entry.msgid_plural is None and set(placeholder.findall(translation)) != expected:
                wrong.append((entry.msgid, translation))

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_marked_in_a_template_or_module_is_in_the_catalogue(language):
    translated = keys(catalogue(language))
    marked = {}
    for path in source_files(".html"):
        for key in template_strings(path):
            marked.setdefault(key, path.name)
    for path in source_files(".py"):
        for key in python_strings(path):
            marked.setdefault(key, path.name)

    missing = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid), where in marked.items()
        if (context, msgid) not in translated
    )

    # A few hundred strings: a walk that found none would prove nothing.
    assert len(marked) > 500
    assert missing == [], "run `make messages` and translate the new entries"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_marked_in_a_page_script_is_in_the_script_catalogue(language):
    translated = keys(catalogue(language, "djangojs"))
    marked = {key for path in source_files(".js") for key in script_strings(path)}

    assert marked
    assert marked - translated == set()


def test_the_extraction_finds_what_makemessages_finds(tmp_path):
    # The walk above is only as good as its reading of templates and modules.
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}{% translate 'Plain' %}{% translate 'Word' context 'menu' %}"
        "{% blocktranslate trimmed count counter=n %}\n  {{ counter }} claim\n"
        "{% plural %}{{ counter }} claims{% endblocktranslate %}{{ x|default:_('Fallback') }}",
        encoding="utf-8",
    )
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext\n"
        "a = _('Lazy ' 'joined')\nb = ngettext('%(n)d one', '%(n)d many', 2)\n"
        "c = pgettext('verb', 'Record')\nd = _(variable)\n",
        encoding="utf-8",
    )

    assert set(template_strings(template)) == {
        (None, "Plain"),
        ("menu", "Word"),
        (None, "%(counter)s claim"),
        (None, "Fallback"),
    }
    assert set(python_strings(module)) == {
        (None, "Lazy joined"),
        (None, "%(n)d one"),
        ("verb", "Record"),
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_its_source(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    source = catalogue(language, domain)
    compiled = polib.mofile(str(folder / f"{domain}.mo"))

    def contents(entries):
        return {
            (
                entry.msgctxt,
                entry.msgid,
                entry.msgid_plural or "",
                tuple(sorted(entry.msgstr_plural.items())) or entry.msgstr,
            )
            for entry in entries
            if entry.msgid and not entry.obsolete and "fuzzy" not in getattr(entry, "flags", ())
        }

    assert contents(compiled) == contents(source), "run `make messages` to compile it again"
