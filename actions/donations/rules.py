"""French political-finance law, as pure functions over integer cents.

- Only natural persons give, and they declare French nationality or residence in France.
- Candidate (Code électoral L52-8): 4,600 € per donor for the same elections, all gifts to
  all their candidates added (entities of the same election share one cap).
- Candidate (L52-4): gifts are raised during the financing period only, from six months
  before the first day of the election's month (a year for the presidential election) until
  the campaign accounts are filed (due the tenth Friday after the first round, L52-12).
- Party (loi 88-227 art. 11-4): 7,500 € per person per calendar year, gifts and fees
  together, for all parties together: what the donor declares they gave other parties counts.
- Over 150 €, a gift is paid by cheque, transfer, direct debit or card, never cash; and cash
  gifts together stay under 20 % of the spending limit when that limit is 15,000 € or more.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaign.money import money_format

CANDIDATE_CAP_CENTS = 460_000
PARTY_CAP_CENTS = 750_000
CASH_GIFT_MAX_CENTS = 15_000
CASH_SHARE_FROM_LIMIT_CENTS = 1_500_000
CASH_SHARE_PERCENT = 20
FINANCING_MONTHS = 6  # L52-4: six months before the first day of the election's month…
PRESIDENTIAL_FINANCING_MONTHS = 12  # …a year for the presidential one (loi 62-1292, art. 3)
ACCOUNTS_DUE_FRIDAY = 10  # L52-12: accounts filed by the tenth Friday after the first round


@dataclass(frozen=True)
class Verdict:
    reason: str = ""  # why not, for the donor or the treasurer ("" when all is lawful)
    refuse_all: bool = False  # the gift cannot be taken at all
    excess_cents: int = 0  # the part over a cap: refused online, refunded otherwise

    @property
    def lawful(self) -> bool:
        return not self.reason


def decimal_amount(cents: int) -> str:
    """Cents as an exact decimal amount, "35.00" (the API's and webhooks' form)."""
    return f"{Decimal(cents) / 100:.2f}"


def euros(cents: int) -> str:
    """An amount for a message, in the active language: "4 600,00 €" or "€4,600.00"."""
    return money_format(cents)


def financing_period(*, election_kind: str, election_day: date) -> tuple[date, date]:
    """The L52-4 period of a general election whose first round is `election_day`: from the
    first day of the month six months (presidential: twelve) before the election's month,
    to the day the campaign accounts are due, the tenth Friday after the first round."""
    months = PRESIDENTIAL_FINANCING_MONTHS if election_kind == "presidential" else FINANCING_MONTHS
    index = election_day.year * 12 + election_day.month - 1 - months
    start = date(index // 12, index % 12 + 1, 1)
    first_friday = election_day + timedelta(days=(4 - election_day.weekday()) % 7 or 7)
    return start, first_friday + timedelta(weeks=ACCOUNTS_DUE_FRIDAY - 1)


def judge(
    *,
    kind: str,
    amount_cents: int,
    cash: bool,
    natural_person: bool,
    french_or_resident: bool,
    donor_before_cents: int,
    cash_before_cents: int,
    spending_limit_cents: int | None,
    received_on: date | None = None,
    financing: tuple[date | None, date | None] = (None, None),
) -> Verdict:
    """What the law says of one gift. `kind` is the entity's: "candidate" or "party";
    `donor_before_cents` what this donor already gave in the cap's window (every candidate
    of the same election, or every party in the calendar year, declared gifts included);
    `cash_before_cents` the entity's cash gifts so far; `financing` a candidate's L52-4
    period (either end may be open), which `received_on` must fall in."""
    if amount_cents <= 0:
        return Verdict(_("The amount must be more than zero."), refuse_all=True)
    if not natural_person:
        return Verdict(
            _("Only natural persons may give: a company or association cannot."),
            refuse_all=True,
        )
    if not french_or_resident:
        return Verdict(_("Only French nationals or residents of France may give."), refuse_all=True)
    start, end = financing
    if (
        kind == "candidate"
        and received_on is not None
        and ((start and received_on < start) or (end and received_on > end))
    ):
        return Verdict(_period_reason(start, end), refuse_all=True)
    if cash and amount_cents > CASH_GIFT_MAX_CENTS:
        return Verdict(
            _("Over %(max)s, a gift is paid by cheque, transfer, direct debit or card, not cash.")
            % {"max": euros(CASH_GIFT_MAX_CENTS)},
            refuse_all=True,
        )
    cap = CANDIDATE_CAP_CENTS if kind == "candidate" else PARTY_CAP_CENTS
    room = max(0, cap - donor_before_cents)
    if amount_cents > room:
        # The reason states the cap, never what is left of it: online it is shown to whoever
        # typed an email, and what remains would tell them what that person gave.
        if kind == "candidate":
            reason = _(
                "Gifts are capped at %(cap)s per person for an election, all gifts to all "
                "the candidates of that election together (Code électoral, L52-8)."
            )
        else:
            reason = _(
                "Gifts and membership fees are capped at %(cap)s per person per calendar "
                "year for all parties together, gifts declared to other parties included "
                "(loi 88-227, art. 11-4)."
            )
        return Verdict(reason % {"cap": euros(cap)}, excess_cents=amount_cents - room)
    if cash and spending_limit_cents and spending_limit_cents >= CASH_SHARE_FROM_LIMIT_CENTS:
        cash_cap = spending_limit_cents * CASH_SHARE_PERCENT // 100
        cash_room = max(0, cash_cap - cash_before_cents)
        if amount_cents > cash_room:
            return Verdict(
                _("Cash gifts together are capped at %(cap)s (20 %% of the spending limit).")
                % {"cap": euros(cash_cap)},
                excess_cents=amount_cents - cash_room,
            )
    return Verdict()


def _period_reason(start: date | None, end: date | None) -> str:
    """Why a gift outside a candidate's financing period is refused, with the period."""
    dates = {"start": start and date_format(start), "end": end and date_format(end)}
    if start and end:
        reason = _(
            "This campaign takes gifts from %(start)s to %(end)s only, its financing period "
            "(Code électoral, L52-4)."
        )
    elif start:
        reason = _(
            "This campaign takes gifts from %(start)s only, the start of its financing period "
            "(Code électoral, L52-4)."
        )
    else:
        reason = _(
            "This campaign took gifts until %(end)s only, the end of its financing period "
            "(Code électoral, L52-4)."
        )
    return reason % dates
