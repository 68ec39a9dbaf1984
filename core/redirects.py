"""Where a form sends the reader back to: the page it names, if that is a page of Hecha."""

from django.utils.http import url_has_allowed_host_and_scheme


def page_to_return_to(request, field: str = "next") -> str | None:
    """Return the address in the POSTed `field` if it is a path on this site, else None.

    Only a path: the field is the reader's to change, and redirect() takes any other word for
    the name of a view (a server error when it names none); an address on another site
    would send a signed-in reviewer there.
    """
    target = request.POST.get(field, "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
