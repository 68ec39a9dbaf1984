"""The Jobs pages: follow, cancel and retry background jobs, download what they made."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.views.export import export_selection, public_base_url
from jobs.forms import ImportUploadForm, RunForm
from jobs.models import Job
from jobs.selectors import can_manage, jobs_visible_to, sees_every_job
from jobs.services import FIX_THE_FILE, job_cancel, job_retry, job_start, jobs_fail_stale

# The interface languages, named for a reader of the page.
LANGUAGE_NAMES = {
    "en": gettext_lazy("English"),
    "zh-hant": gettext_lazy("Traditional Chinese"),
    "zh-hans": gettext_lazy("Simplified Chinese"),
}


def worded_in(job: Job) -> str:
    """Return the name of the language a job's report and errors are worded in, when the
    page is in another; empty when they read in the page's language.

    They are not translated again: Chinese is only shown in the page's script."""
    language = job.language or settings.LANGUAGE_CODE
    page = get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == page.split("-")[0]:
        return ""
    return str(LANGUAGE_NAMES.get(language, language))


def _visible_job(request, pk) -> Job:
    return get_object_or_404(jobs_visible_to(request.user), pk=pk)


@require_GET
def job_list(request):
    """List the user's jobs (everyone's for editors and admins), newest first."""
    # Whoever looks is told the truth: a job whose worker died is shown as failed.
    jobs_fail_stale()
    page = Paginator(jobs_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "jobs": page.object_list,
            "refresh": any(not job.is_finished for job in page.object_list),
            "sees_every_job": sees_every_job(request.user),
            "run_form": RunForm() if sees_every_job(request.user) else None,
            "can_import": request.user.has_perm("claims.add_claim"),
        },
    )


@require_GET
def job_detail(request, pk):
    """Show a job's progress, and when it has ended, its result, report or errors."""
    jobs_fail_stale()
    job = _visible_job(request, pk)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "can_manage": can_manage(request.user, job),
            "can_import": request.user.has_perm("claims.add_claim"),
            "fix_the_file": FIX_THE_FILE,
            # Named once, above what the job itself wrote.
            "worded_in": worded_in(job) if job.errors or job.report else "",
        },
    )


@require_POST
def job_cancel_view(request, pk):
    """Cancel a queued or running job."""
    job = _visible_job(request, pk)
    try:
        job_cancel(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except OperationalError:
        # SQLite takes one writer at a time, and an import being saved is one.
        messages.error(request, _("The database is busy saving an import; try again shortly."))
    else:
        messages.success(request, _("The job was cancelled; nothing it did is kept."))
    return redirect(job)


@require_POST
def job_retry_view(request, pk):
    """Run a failed or cancelled job again."""
    job = _visible_job(request, pk)
    try:
        job_retry(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect(job)


@require_GET
def job_download(request, pk):
    """Send a finished job's file from storage, to those who may see the job."""
    job = _visible_job(request, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404(_("This job has no file to download."))
    try:
        file = default_storage.open(job.result_file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("This job's file is no longer kept.")) from None
    return FileResponse(file, as_attachment=True, filename=job.result_name)


def page_language(request) -> str:
    """Return the language the page was shown in, for the job's report and errors."""
    return getattr(request, "LANGUAGE_CODE", "") or ""


@require_http_methods(["GET", "POST"])
@permission_required("claims.add_claim", raise_exception=True)
def job_import(request):
    """Take an export file from an editor and import it in the background."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            # Kept in storage, where whichever worker takes the job can read it.
            stored = default_storage.save(f"jobs/uploads/{uuid.uuid4().hex}{suffix}", upload)
            job = job_start(
                kind=Job.Kind.IMPORT,
                user=request.user,
                language=page_language(request),
                parameters={
                    "file": stored,
                    "filename": upload.name,
                    "credit_existing": form.cleaned_data["credit_existing"],
                },
            )
            return redirect(job)
        return render(request, "jobs/job_import_form.html", {"form": form}, status=400)
    return render(request, "jobs/job_import_form.html", {"form": form})


@require_POST
def job_export(request):
    """Start writing the reviewed claims the claim list's filters select, in the background."""
    _filterset, format, refusal = export_selection(request)
    if refusal is not None:
        return refusal
    job = job_start(
        kind=Job.Kind.EXPORT,
        user=request.user,
        language=page_language(request),
        parameters={
            "query": request.GET.urlencode(),
            "format": format,
            "base_url": public_base_url(request),
            "publisher": settings.HECHA_PUBLISHER,
        },
    )
    return redirect(job)


@require_POST
def job_run(request):
    """Start a run over every claim: a figure check, suggestions or a search key rebuild."""
    if not sees_every_job(request.user):
        raise PermissionDenied
    form = RunForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "jobs/job_list.html",
            {
                "jobs": [],
                "run_form": form,
                "sees_every_job": True,
                "can_import": request.user.has_perm("claims.add_claim"),
            },
            status=400,
        )
    job = job_start(
        kind=form.cleaned_data["kind"], user=request.user, language=page_language(request)
    )
    return redirect(job)
