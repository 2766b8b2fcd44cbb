"""Access rules for views, declared once and used as decorators.

Every URL's view declares who may use it in its `access_rule` (tests/campaign/
test_access.py fails on one that does not):

- "public": anyone, logged in or not (petition and donation pages, login, health);
- "login": anyone logged in; the view then checks the object (a volunteer's own turf);
- "crm": staff, admins and organizers (volunteers get a 403, visitors the login page);
- "admin": administrators only;
- "api": the API, where DRF's authentication (token or session) and permission classes
  decide, per method;
- "signed": a provider's webhook, which must carry its valid signature (Twilio).

One way to say it per kind of view:

- a function view: a decorator at its definition, outermost: `@public`, `@login_rule`,
  `@crm_required`, `@admin_required` (Twilio's callbacks: the decorator that checks their
  signature says "signed"); never an attribute set after the definition;
- a DRF class: `access_rule = "api"` on the class (the OSDI views get it from OsdiApiMixin),
  its permission classes deciding who may do what;
- a view of Django or of a package: THIRD_PARTY_RULES below, by its name.

Every URL also declares what it may change, in WRITES below (tests/campaign/
test_write_matrix.py fails on one that does not, and tries each one's writes as each role
against objects out of their scope).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def crm_required(view):
    """Staff pages: admins and organizers. Volunteers get a 403, anonymous users the login page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.can_use_crm:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access_rule = "crm"
    return wrapper


def admin_required(view):
    """Administrators only: what reaches across every territory (webhooks)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access_rule = "admin"
    return wrapper


def login_rule(view):
    """Anyone logged in; the view checks what they may touch."""
    wrapped = login_required(view)
    wrapped.access_rule = "login"
    return wrapped


def public(view):
    """Anyone, logged in or not: said out loud, for the access inventory (`@public`, above
    the view's other decorators)."""
    view.access_rule = "public"
    return view


# Views of Django and of packages, by their class or function name.
THIRD_PARTY_RULES = {
    "LoginView": "public",
    "LogoutView": "public",
    "PasswordResetView": "public",
    "PasswordResetDoneView": "public",
    "PasswordResetConfirmView": "public",
    "PasswordResetCompleteView": "public",
    "PasswordChangeView": "login",
    "PasswordChangeDoneView": "login",
    "set_language": "public",
    "SpectacularAPIView": "public",
    "SpectacularSwaggerSplitView": "public",
}


def access_rule_of(callback) -> str | None:
    """The rule a URL's view declares (its own, its class's, or a known third party's)."""
    rule = getattr(callback, "access_rule", None)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if rule is None and cls is not None:
        rule = getattr(cls, "access_rule", None)
    name = cls.__name__ if cls is not None else getattr(callback, "__name__", "")
    return rule or THIRD_PARTY_RULES.get(name)


# What each URL may change, declared once per URL name. tests/campaign/test_write_matrix.py
# sends every URL its writes (POST, and each write method of an API view) as a visitor, a
# volunteer, an organizer of another territory, the territory's organizer and an
# administrator, each against an object out of their scope, and checks that the refused get a
# 404, a 403 or the login page and that nothing changed in the database; a URL missing here
# fails it. The values:
#
# - "nothing": a page that reads (a POST to it changes nothing, whoever sends it);
# - "new": makes a new object of the actor's own (staff only; the service gives it their
#   territory and computes anything it holds with their scope);
# - "account": the user's own login, password, second factor or language;
# - "public": a public form (petition, gift, confirmation link): anyone, it adds, never undoes;
# - "signed": a provider's webhook, changed by nobody without its signature;
# - "audited_read": a read of a person's data that leaves an audit row (GDPR art. 15);
# - "canvass_record": a door's result recorded into a canvassing campaign, by staff of the
#   person's territory (as a volunteer's phone does for their own turf);
# - anything else names the object the URL changes, found in the matrix's world: its
#   territory's organizers and the admins change it (or, for "api_token", its owner only;
#   for "webhook" and "delivery", admins only; for a "turf" or "conversation" mission, the
#   volunteers it is handed to and the staff of its people).
WRITES: dict[str, str] = {
    "home": "nothing",
    "healthz": "nothing",
    "javascript_catalog": "nothing",
    # contacts
    "contacts:list": "nothing",
    "contacts:consent_confirm": "public",
    "contacts:export": "nothing",
    "contacts:create": "new",
    "contacts:segments": "nothing",
    "contacts:segment_new": "new",
    "contacts:segment_preview_count": "nothing",
    "contacts:segment_detail": "nothing",
    "contacts:segment_edit": "segment",
    "contacts:segment_freeze": "segment_use",
    "contacts:segment_delete": "segment",
    "contacts:segment_export_csv": "nothing",
    "contacts:segment_export_xlsx": "nothing",
    "contacts:segment_export_action_network": "nothing",
    "contacts:segment_export_nationbuilder": "nothing",
    "contacts:duplicates": "nothing",
    "contacts:duplicates_refresh": "new",
    "contacts:duplicate_merge": "duplicate",
    "contacts:duplicate_dismiss": "duplicate",
    "contacts:imports": "nothing",
    "contacts:import_new": "new",
    "contacts:import_detail": "import_job",
    "contacts:import_progress": "nothing",
    "contacts:import_rejected": "nothing",
    "contacts:detail": "nothing",
    "contacts:edit": "contact",
    "contacts:consent": "contact",
    "contacts:note": "contact",
    "contacts:tags": "contact",
    "contacts:data_json": "audited_read",
    "contacts:data_csv": "audited_read",
    "contacts:object": "contact",
    "contacts:erase": "contact",
    "funnel:export": "nothing",
    # API (OSDI): each write method of each view
    "api:entry_point": "nothing",
    "api:people": "new",  # POST: the person signup helper
    "api:person": "contact",  # PUT
    "api:person_signup_helper": "new",
    "api:person_signatures": "nothing",
    "api:person_donations": "nothing",
    "api:person_by_key": "nothing",
    "api:custom_fields": "nothing",
    "api:person_taggings": "nothing",
    "api:tags": "new",
    "api:tag": "nothing",
    "api:taggings": "tagging",
    "api:tagging": "tagging",  # DELETE: untag
    "api:tagging_by_id": "tagging",  # the same, by the tagging's id
    "api:lists": "nothing",
    "api:list": "nothing",
    "api:list_items": "nothing",
    "api:list_item": "nothing",
    "api:petition_signature": "nothing",
    "api:person_signature": "nothing",
    "api:petitions": "nothing",
    "api:petition": "nothing",
    "api:petition_signatures": "public",  # the token-less signature helper, a public form
    "api:canvassing_efforts": "nothing",
    "api:canvassing_effort": "nothing",
    "api:canvasses": "canvass_record",
    "api:messages": "nothing",
    "api:message": "nothing",
    "api:fundraising_pages": "nothing",
    "api:fundraising_page": "nothing",
    "api:donations": "drive",
    "api:all_donations": "nothing",
    "api:donation": "nothing",
    "api:metadata": "nothing",
    "api:schema": "nothing",
    "api:docs": "nothing",
    "api:tokens": "new",
    "api:token_revoke": "api_token",
    "api:webhooks": "webhook",
    "api:webhook_toggle": "webhook",
    "api:delivery_replay": "delivery",
    # petitions
    "petitions:csrf": "nothing",
    "petitions:page": "public",
    "petitions:embed": "public",
    "petitions:thanks": "nothing",
    "petitions:count": "nothing",
    "petitions:confirm": "public",
    "petitions:staff_list": "nothing",
    "petitions:staff_new": "new",
    "petitions:staff_detail": "nothing",
    "petitions:staff_edit": "petition",
    "petitions:staff_status": "petition",
    "petitions:staff_export": "nothing",
    # texts
    "sms:status_callback": "signed",
    "sms:inbound_callback": "signed",
    "sms:list": "nothing",
    "sms:new": "new",
    "sms:preview": "nothing",
    "sms:inbox": "nothing",
    "sms:optouts": "new",
    "sms:p2p_list": "nothing",
    "sms:p2p_new": "new",
    "sms:p2p_inbox": "nothing",
    "sms:p2p_detail": "nothing",
    "sms:p2p_edit": "p2p_campaign",
    "sms:p2p_action": "p2p_campaign",
    "sms:mission": "p2p_mission",
    "sms:mission_send": "p2p_mission",
    "sms:mission_more": "p2p_mission",
    "sms:conversation": "conversation",
    "sms:detail": "nothing",
    "sms:edit": "blast",
    "sms:progress": "nothing",
    "sms:action": "blast",
    # emails
    # The unsubscribe link: a message's signed token is its one authority (no login).
    "emails:list": "nothing",
    "emails:new": "new",
    "emails:detail": "nothing",
    "emails:edit": "email_blast",
    "emails:progress": "nothing",
    "emails:action": "email_blast",
    "emails:unsubscribe": "signed",
    # The providers' tracking webhooks: ANYMAIL_WEBHOOK_SECRET, then anymail's signature.
    **{
        f"emails:tracking_{provider}": "signed"
        for provider in ("brevo", "mailjet", "amazon_ses", "mailgun", "postmark", "sendgrid")
    },
    "emails:outbox": "nothing",
    "emails:outbox_message": "nothing",
    "emails:outbox_html": "nothing",
    # door to door
    "canvassing:list": "nothing",
    "canvassing:new": "new",
    "canvassing:detail": "nothing",
    "canvassing:edit": "canvass_campaign",
    "canvassing:print": "nothing",
    "canvassing:export": "nothing",
    "canvassing:turf": "turf",
    "canvassing:action": "canvass_campaign",
    "canvassing:service_worker": "nothing",
    "canvassing:walk": "nothing",
    "canvassing:door": "turf_mission",
    "canvassing:not_home": "turf_mission",
    "canvassing:api_walk": "nothing",
    "canvassing:api_visits": "turf_mission",
    # gifts
    "donations:list": "nothing",
    "donations:new": "new",
    "donations:import": "new",
    "donations:drives": "nothing",
    "donations:drive_new": "new",
    "donations:drive_edit": "drive_page",
    "donations:donor_list": "nothing",
    "donations:receipt": "nothing",
    "donations:action": "donation",
    "donations:fake_card": "public",
    "donations:stop": "public",
    "donations:page": "public",
    "donations:thanks": "nothing",
    # accounts
    "set_language": "account",
    "login": "account",
    "logout": "account",
    "password_change": "account",
    "password_change_done": "nothing",
    "password_reset": "account",
    "password_reset_done": "nothing",
    "password_reset_confirm": "account",
    "password_reset_complete": "nothing",
    "two_factor_verify": "account",
    "two_factor_setup": "account",
    "two_factor_recovery_codes": "account",
}


def write_rule_of(url_name: str) -> str | None:
    """What the URL named `url_name` may change (see WRITES), or None if it does not say."""
    return WRITES.get(url_name)
