import datetime

from django.utils import timezone

from jobs.models import Job


def test_running_job_tells_its_rate_and_the_time_left_at_that_rate():
    now = timezone.now()
    job = Job(
        status=Job.Status.RUNNING,
        total=1000,
        done=250,
        started_at=now - datetime.timedelta(seconds=50),
        heartbeat_at=now,
    )

    assert job.rate == 5
    assert job.remaining == datetime.timedelta(seconds=150)
    assert job.percent == 25


def test_job_that_has_not_started_or_ended_promises_no_time_left():
    assert Job(status=Job.Status.QUEUED, total=10).remaining is None
    now = timezone.now()
    finished = Job(
        status=Job.Status.SUCCEEDED,
        total=10,
        done=10,
        started_at=now - datetime.timedelta(seconds=2),
        finished_at=now,
    )
    assert finished.remaining is None and finished.rate == 5


def test_a_job_tells_the_time_it_took_to_the_second():
    now = timezone.now()
    job = Job(
        status=Job.Status.SUCCEEDED,
        started_at=now - datetime.timedelta(seconds=12.6),
        finished_at=now,
    )

    assert job.took == datetime.timedelta(seconds=13)
    assert Job(status=Job.Status.QUEUED).took is None
