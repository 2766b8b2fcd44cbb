"""The ladder of engagement: six stages, what makes a person reach each, and what each implies.

A stage is reached by an action, recorded as a StageEvent when it happens. A stronger
stage implies a weaker one where that is plain sense: giving money or time is
engagement, and a volunteer action makes one a volunteer. Consent (reachable) and gifts
(donor) are never implied: they are facts of their own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.IntegerChoices):
    ACQUIRED = 1, _("Acquired")
    REACHABLE = 2, _("Reachable")
    ENGAGED = 3, _("Engaged")
    DONOR = 4, _("Donor")
    VOLUNTEER = 5, _("Volunteer")
    ACTIVIST = 6, _("Activist")


# The stage's column on FunnelEntry, and the stages whose events count for it.
FIELDS = {
    Stage.ACQUIRED: "acquired_at",
    Stage.REACHABLE: "reachable_at",
    Stage.ENGAGED: "engaged_at",
    Stage.DONOR: "donor_at",
    Stage.VOLUNTEER: "volunteer_at",
    Stage.ACTIVIST: "activist_at",
}
IMPLIED_BY = {
    Stage.ACQUIRED: [Stage.ACQUIRED],
    Stage.REACHABLE: [Stage.REACHABLE],
    Stage.ENGAGED: [Stage.ENGAGED, Stage.DONOR, Stage.VOLUNTEER, Stage.ACTIVIST],
    Stage.DONOR: [Stage.DONOR],
    Stage.VOLUNTEER: [Stage.VOLUNTEER, Stage.ACTIVIST],
    Stage.ACTIVIST: [Stage.ACTIVIST],
}

DEFINITIONS = {
    Stage.ACQUIRED: _(
        "Any first contact: the person came in by a petition, an import, a door, a gift, "
        "the API or by hand. Dated by when we first heard of them."
    ),
    Stage.REACHABLE: _("Gave their consent to be contacted on at least one channel."),
    Stage.ENGAGED: _(
        "Acted again after the first contact: signed a petition after being known (a second "
        "petition, or a first one after an import or a door), replied to a text, told a "
        "canvasser they support us (4 or 5 out of 5). Anyone who gave, volunteered or acted "
        "is engaged too."
    ),
    Stage.DONOR: _("Made a gift that was received (a pledge not yet paid does not count)."),
    Stage.VOLUNTEER: _(
        "Said at the door they want to help, or has a volunteer account linked to their "
        "contact. Activists are volunteers too."
    ),
    Stage.ACTIVIST: _(
        "Did a volunteer action with their account: knocked on doors or sent texts to other people."
    ),
}

# Cohort windows, in weeks after acquisition.
COHORT_WEEKS = (1, 2, 4, 8)
# Gaps between stages are kept in whole days up to this; longer ones are counted here.
GAP_DAYS_CAP = 365
