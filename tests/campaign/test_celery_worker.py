"""A real Celery worker, started on Redis, runs our tasks against the same database."""

import pytest
from django.db import connection

from campaign.tasks import ping


@pytest.mark.real_worker
def test_a_real_worker_answers_over_redis_and_reads_the_test_database(celery_worker_queue):
    result = ping.apply_async(queue=celery_worker_queue).get(timeout=30)
    assert result == {"pong": True, "database": connection.settings_dict["NAME"]}


def test_without_redis_tasks_run_eagerly_in_process(settings, db):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("REDIS_URL is set: tasks go to the broker")
    assert ping.delay().get() == {"pong": True, "database": connection.settings_dict["NAME"]}
