"""`{% fragment f %}…{% endfragment %}`: keep a part of a page drawn, under its view's key.

`f` is a core.fragments.Fragment, whose key makes stale fragments impossible; None (or no
such variable), or one without a key (a form with errors, a search), draws the part afresh
and keeps nothing. The part is drawn once with a placeholder for the CSRF token and cut
there: each request puts its own token back, so no reader is ever served another's.
"""

import secrets

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from core.fragments import Fragment, fragment_key, loaded_state

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        fragment = self.fragment.resolve(context)
        # Nothing (a page with no fragment for this part, such as an anonymous reader's
        # header) draws the part afresh.
        if not fragment or fragment.key is None:
            return self.nodelist.render(context)
        if fragment.pieces is None:
            # A placeholder that no text on the page can hold: it is new for every drawing.
            placeholder = secrets.token_hex(16)
            with context.push(csrf_token=placeholder):
                cut = CsrfTokenNode().render(context)
                fragment.keep(self.nodelist.render(context).split(cut))
        return mark_safe(CsrfTokenNode().render(context).join(fragment.pieces))


@register.tag
def fragment(parser, token):
    """Draw the enclosed part once for every distinct key and keep it in Django's cache."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the fragment.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))


@register.simple_tag(takes_context=True)
def changelist_rows(context, cl) -> Fragment | None:
    """Return the fragment of an admin change list's rows and actions bar, or None.

    Drawing 25 rows through the admin's per-cell machinery took a change list a quarter of
    its time. The key holds every row as loaded, with the rows joined or prefetched with it
    (what its columns can show), the columns, and the counts the actions bar states; the
    reader's side (language, path and query, permissions) is fragment_key's. Only a
    ModelAdmin that says `keep_rows_drawn` has its rows kept: its columns must show nothing
    but the rows loaded with the list's own, or a change to another row would not be seen.
    A list edited in place (list_editable) holds a form and is drawn afresh.
    """
    if not getattr(cl.model_admin, "keep_rows_drawn", False) or cl.formset is not None:
        return None
    return Fragment.lookup(
        fragment_key(
            "admin_changelist_rows",
            context["request"],
            cl.model._meta.label,
            tuple(cl.list_display),
            tuple(cl.list_display_links or ()),
            cl.result_count,
            cl.full_result_count,
            cl.show_admin_actions,
            [loaded_state(row) for row in cl.result_list],
            converted=False,
        )
    )
