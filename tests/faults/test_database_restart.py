"""PostgreSQL goes down and comes back while a petition is being signed: every signature
the app accepted is stored once, and while the database was away visitors got a clear
"try again" page, never a traceback. The app runs under gunicorn with a Celery worker,
both reaching PostgreSQL through a proxy that plays the restart."""

import http.client
import re
import threading
import time
import urllib.parse

import pytest

from actions.petitions.models import PendingSignature, Petition, Signature
from contacts.models import ContactEmail

pytestmark = pytest.mark.real_worker

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign(host: str, email: str) -> tuple[int, str]:
    """A visitor's signature: the page, then the form with its CSRF token (a connection
    each, as gunicorn closes them after each answer)."""
    conn = http.client.HTTPConnection(*host.split(":"), timeout=15)
    try:
        conn.request("GET", "/p/eau/")
        page = conn.getresponse()
        body = page.read().decode()
        if page.status != 200:
            return page.status, body
        cookie = page.getheader("Set-Cookie", "").split(";")[0]
    finally:
        conn.close()
    conn = http.client.HTTPConnection(*host.split(":"), timeout=15)
    try:
        form = {
            "csrfmiddlewaretoken": TOKEN.search(body).group(1),
            "first_name": "Nina",
            "last_name": "Roux",
            "email": email,
            "postal_code": "69001",
            "consent_email": "on",
        }
        conn.request(
            "POST",
            "/p/eau/",
            body=urllib.parse.urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://{host}/p/eau/",
            },
        )
        answer = conn.getresponse()
        return answer.status, answer.read().decode()
    finally:
        conn.close()


def test_a_database_restart_under_petition_load_loses_no_accepted_signature(
    celery_workers, database_proxy, gunicorn
):
    from actions.petitions.tasks import petition_signatures_merge
    from campaign.celery import app

    Petition.objects.create(
        slug="eau", title="De l'eau", text="Signez.", goal=1000, status="published"
    )
    env = {"DATABASE_URL": database_proxy.database_url}
    env["PETITION_SIGNATURES_PER_IP_PER_MINUTE"] = "100000"
    app.control.purge()
    celery_workers.start(queues=["celery"], env=env)
    host = gunicorn(env)

    answers: list[tuple[str, int, str]] = []
    stop = time.monotonic() + 9

    def visitor(n: int) -> None:
        i = 0
        while time.monotonic() < stop:
            i += 1
            email = f"v{n}-{i}@exemple.fr"
            try:
                status, body = sign(host, email)
            except OSError as error:
                status, body = 0, repr(error)
            answers.append((email, status, body))

    visitors = [threading.Thread(target=visitor, args=(n,)) for n in range(4)]
    for thread in visitors:
        thread.start()
    time.sleep(3)
    database_proxy.cut()  # PostgreSQL stops: connections reset, new ones refused
    time.sleep(3)
    database_proxy.restore()  # and is back
    for thread in visitors:
        thread.join()

    accepted = {email for email, status, _ in answers if status == 302}
    refused = [(status, body) for _, status, body in answers if status != 302]
    deadline = time.monotonic() + 60
    while PendingSignature.objects.exists() and time.monotonic() < deadline:
        petition_signatures_merge.delay()  # what beat does every minute
        time.sleep(1)

    print(f"accepted {len(accepted)}, refused {len(refused)} (503 while PostgreSQL was away)")
    assert accepted and refused, "the outage came while visitors were signing"
    assert {status for status, _ in refused} == {503}
    assert all("Terrain revient dans un instant" in body for _, body in refused)
    assert not any("Traceback" in body for _, body in refused)
    assert not PendingSignature.objects.exists()
    stored = set(
        ContactEmail.objects.filter(contact__signatures__isnull=False).values_list(
            "address", flat=True
        )
    )
    assert accepted <= stored
    assert Signature.objects.count() == len(stored)
