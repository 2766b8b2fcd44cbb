"""The funnel on the staff home page, and its tables as CSV."""

import pandas as pd
from django.http import Http404, HttpResponse

from campaign.http import AuthenticatedHttpRequest
from campaign.permissions import crm_required

from ..scope import territories_visible_to
from .charts import activity_chart, funnel_chart
from .forms import FunnelFilterForm
from .selectors import Dashboard, funnel_dashboard


def dashboard_for(request: AuthenticatedHttpRequest) -> tuple[FunnelFilterForm, Dashboard]:
    territories = territories_visible_to(request.user)
    form = FunnelFilterForm(request.GET or None, territories=territories)
    dashboard = funnel_dashboard(
        user=request.user,
        period=form.chosen_period(),
        territory=form.chosen_territory(),
        cohort_stage=form.chosen_cohort_stage(),
    )
    return form, dashboard


def dashboard_context(request: AuthenticatedHttpRequest) -> dict:
    form, dashboard = dashboard_for(request)
    return {
        "funnel_form": form,
        "funnel": dashboard,
        "funnel_svg": funnel_chart(dashboard.stages),
        "activity_svgs": [(row, activity_chart(row)) for row in dashboard.activity],
        "export_query": request.GET.urlencode(),
    }


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def _frames(dashboard: Dashboard) -> dict[str, pd.DataFrame]:
    stages = pd.DataFrame(
        [
            {
                "stage": str(row.label),
                "people": row.count,
                "share_of_acquired_pct": _pct(row.share),
                "conversion_from_previous_pct": _pct(row.conversion),
                "median_days_from_previous": row.median_days,
            }
            for row in dashboard.stages
        ]
    )
    stage_names = [str(row.label) for row in dashboard.stages[1:]]
    sources = pd.DataFrame(
        [
            {
                "source": row.label or "other",
                "acquired": row.acquired,
                **{
                    f"{name}": people
                    for name, (people, _s) in zip(stage_names, row.reached, strict=True)
                },
                **{
                    f"{name} %": _pct(share)
                    for name, (_p, share) in zip(stage_names, row.reached, strict=True)
                },
            }
            for row in dashboard.sources
        ]
    )
    cohorts = pd.DataFrame(
        [
            {
                "week": row.week.isoformat(),
                "people": row.size,
                "stage": str(dashboard.cohort_stage.label),
                **{
                    f"within_{w}_weeks_pct": _pct(share)
                    for w, share in zip((1, 2, 4, 8), row.shares, strict=True)
                },
                "ever_pct": _pct(row.ever),
            }
            for row in dashboard.cohorts
        ]
    )
    activity = pd.DataFrame(
        [
            {
                "period_start": start.isoformat(),
                "figure": row.label,
                "count": count,
                "amount_eur": cents / 100 if row.money else None,
            }
            for row in dashboard.activity
            for start, count, cents in row.buckets
        ]
    )
    return {"stages": stages, "sources": sources, "cohorts": cohorts, "activity": activity}


@crm_required
def funnel_export_view(request: AuthenticatedHttpRequest, what: str) -> HttpResponse:
    _form, dashboard = dashboard_for(request)
    frames = _frames(dashboard)
    if what not in frames:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funnel-{what}.csv"'
    frames[what].to_csv(response, index=False)
    return response
