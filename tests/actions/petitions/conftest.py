import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Signatures are merged right away in-process, as on the embedded default; tests marked
    real_worker take the production path (a queue and a worker) instead."""
    if request.node.get_closest_marker("real_worker"):
        yield
    else:
        request.getfixturevalue("eager_tasks")
        yield
