from django.http import HttpResponse


def claim_export(request):
    # Replaced by the streaming export of reviewed claims.
    return HttpResponse("Export is not available yet.", status=501, content_type="text/plain")
