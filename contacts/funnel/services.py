"""Writing the funnel: stage events when actions happen, each person's entry rewritten from
their events, and a refresh of the summary tables queued (contacts.funnel.summaries) for the
entries that changed.

Apps call `stages_record` in the transaction of the action (a signature, a reply, a gift…),
or `stages_record_query` with a query of (contact_id, at) for many people at once (an
import, the rebuild). Both keep the earliest time per person and stage.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from campaign.celery import app

from .models import FunnelDirty, FunnelEntry, StageEvent
from .sources import rebuild_sources
from .stages import FIELDS, IMPLIED_BY, Stage
from .summaries import funnel_refresh, weeks_of
from .tasks import funnel_refresh_task


@dataclass(frozen=True)
class Reach:
    contact_id: int
    at: datetime
    why: str = ""


_UPSERT = (
    "INSERT INTO contacts_stageevent (contact_id, stage, at, why, recorded_at) {rows} "
    "ON CONFLICT (contact_id, stage) DO UPDATE SET at = excluded.at, why = excluded.why "
    "WHERE excluded.at < contacts_stageevent.at"
)


@transaction.atomic
def stages_record_many(*, reached: Mapping[int, Iterable[Reach]]) -> int:
    """People reached stages by actions ({stage: reaches}): one event each per stage (the
    earliest is kept), then their entries rewritten once. Returns how many events were given."""
    now = timezone.now()
    people: set[int] = set()
    given = 0
    with connection.cursor() as cursor:
        for stage, reaches in reached.items():
            earliest: dict[int, Reach] = {}
            for reach in reaches:
                known = earliest.get(reach.contact_id)
                if reach.contact_id is not None and (known is None or reach.at < known.at):
                    earliest[reach.contact_id] = reach
            rows = list(earliest.values())
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                values = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                params: list[int | datetime | str] = []
                for reach in chunk:
                    params += [reach.contact_id, int(stage), reach.at, reach.why[:200], now]
                cursor.execute(_UPSERT.format(rows=values), params)
            people.update(earliest)
            given += len(rows)
    if people:
        entries_refresh(contact_ids=people)
        _refresh_on_commit()
    return given


def stages_record(*, stage: int, reached: Iterable[Reach]) -> int:
    """People reached `stage` by an action: see stages_record_many."""
    return stages_record_many(reached={stage: reached})


def stage_reach(*, contact_id: int, stage: int, at: datetime | None = None, why: str = "") -> None:
    """One person reached `stage` (now, unless `at` says when)."""
    stages_record(stage=stage, reached=[Reach(contact_id, at or timezone.now(), why)])


@transaction.atomic
def stages_record_query(*, stage: int, query: QuerySet, why: str, refresh: bool = True) -> int:
    """Set-based `stages_record`: `query` gives `person` (a contact id) and `at`, one row per
    person, for many people at once without bringing them into Python."""
    sql, params = query.values("person", "at").query.sql_with_params()
    select = (
        f"SELECT src.person, %s, src.at, %s, %s FROM ({sql}) src "  # noqa: S608
        "WHERE src.person IS NOT NULL AND src.at IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(rows=select), [int(stage), why[:200], timezone.now(), *params]
        )
        written = cursor.rowcount
    if refresh:
        entries_refresh(contact_ids=query.values("person"))
        _refresh_on_commit()
    return written


def _entry_select() -> str:
    stage_columns = ", ".join(
        "MIN(CASE WHEN e.stage IN ({}) THEN e.at END)".format(
            ", ".join(str(int(s)) for s in IMPLIED_BY[stage])
        )
        for stage in Stage
        if stage != Stage.ACQUIRED
    )
    return (
        "INSERT INTO contacts_funnelentry (contact_id, source_key, acquired_at, "  # noqa: S608
        + ", ".join(FIELDS[s] for s in Stage if s != Stage.ACQUIRED)
        + ", updated_at) "
        "SELECT c.id, c.source || ':' || c.source_detail, c.source_at, "
        + stage_columns
        + ", %s FROM contacts_contact c "
        "LEFT JOIN contacts_stageevent e ON e.contact_id = c.id {where} "
        "GROUP BY c.id, c.source, c.source_detail, c.source_at"
    )


def entries_refresh(*, contact_ids=None) -> None:
    """Rewrite the entries of these people (a list, or a query of ids; None: everyone) from
    their contact and their stage events."""
    with connection.cursor() as cursor:
        if contact_ids is None:
            cursor.execute("DELETE FROM contacts_funnelentry")
            cursor.execute(_entry_select().format(where=""), [timezone.now()])
            return
        if isinstance(contact_ids, QuerySet):
            ids_sql, ids_params = contact_ids.query.sql_with_params()
        else:
            ids = sorted(set(contact_ids))
            if not ids:
                return
            ids_sql, ids_params = ", ".join(["%s"] * len(ids)), tuple(ids)
        entries = FunnelEntry.objects.filter(contact_id__in=contact_ids)
        weeks_before = weeks_of(entries)  # a merge can move a person to another week
        cursor.execute(
            f"DELETE FROM contacts_funnelentry WHERE contact_id IN ({ids_sql})",  # noqa: S608
            ids_params,
        )
        cursor.execute(
            _entry_select().format(where=f"WHERE c.id IN ({ids_sql})"),
            [timezone.now(), *ids_params],
        )
    _mark_dirty(weeks_before | weeks_of(entries))


def _mark_dirty(weeks: set[date]) -> None:
    """These weeks of acquisition are to be counted again."""
    FunnelDirty.objects.bulk_create(FunnelDirty(week=week) for week in weeks)


@transaction.atomic
def stages_merge(*, kept_id: int, dropped_id: int) -> None:
    """On a merge: the kept person has reached every stage either had, at the earlier time,
    and the week the dropped person was counted in is counted again."""
    _mark_dirty(weeks_of(FunnelEntry.objects.filter(contact_id=dropped_id)))
    reached: dict[int, list[Reach]] = {}
    for stage, at, why in StageEvent.objects.filter(contact_id=dropped_id).values_list(
        "stage", "at", "why"
    ):
        reached.setdefault(stage, []).append(Reach(kept_id, at, why))
    stages_record_many(reached=reached)
    entries_refresh(contact_ids=[kept_id])  # the kept person's origin may be the dropped one's
    _refresh_on_commit()


# Queueing a refresh of the summary tables (contacts.funnel.summaries does it) ------------


def _refresh_on_commit() -> None:
    """Once per transaction, however many stages it records."""
    waiting = transaction.get_connection().run_on_commit
    if not any(entry[1] is refresh_soon for entry in waiting):
        transaction.on_commit(refresh_soon)


def refresh_soon() -> None:
    """Queue a refresh of the summary tables, once for many actions close together. Run
    eagerly (the embedded defaults, no beat), every action refreshes at once."""
    if app.conf.task_always_eager:
        funnel_refresh_task.delay()
    elif cache.add("funnel:refresh-queued", 1, timeout=20):
        funnel_refresh_task.apply_async(countdown=10)


def funnel_rebuild(*, progress=None) -> dict:
    """Rebuild every stage event from the actions the tables hold (for data from before the
    funnel, or after a bulk load), then every entry and summary. Events already recorded
    keep their time when it is earlier. Returns, per source, the events it wrote or moved
    earlier."""
    say = progress or (lambda message: None)
    counts = {}
    with transaction.atomic():
        for source in rebuild_sources():
            counts[source.key] = stages_record_query(
                stage=source.stage, query=source.query(), why=str(source.why), refresh=False
            )
            say(f"{source.key}: {counts[source.key]}")
        entries_refresh(contact_ids=None)
        say("entries")
    result = funnel_refresh(full=True)
    say(f"summaries: {result['weeks']} weeks")
    return counts
