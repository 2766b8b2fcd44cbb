"""NationBuilder's exports: the columns it writes, and where each goes.

A people export writes the API's field names as headers (nationbuilder_id, first_name,
email1, mobile_number, primary_address1, tag_list, created_at...); NationBuilder's own
import format uses the same names, with a plain address (address1, city, zip). Both are
here, in the order the export writes them."""

NAME = "NationBuilder"
DOCS: list[str] = [
    "https://support.nationbuilder.com/en/articles/2895987-fields-available-for-import",
    "https://nationbuilder.com/what_fields_are_available_for_imports",
    "https://nationbuilder.com/people_api",
]
# {header as the tool writes it: target} (targets: contacts.imports.mapping.FIELDS keys,
# "custom:<name>", or "ignore" for a column known to hold nothing worth keeping)
HEADERS: dict[str, str] = {
    "nationbuilder_id": "custom:nationbuilder_id",
    "twitter_login": "custom:twitter_login",
    "facebook_username": "custom:facebook_username",
    "civicrm_id": "custom:civicrm_id",
    "external_id": "custom:external_id",
    "prefix": "custom:name_prefix",
    "first_name": "first_name",
    "middle_name": "custom:middle_name",
    "last_name": "last_name",
    "suffix": "custom:name_suffix",
    "full_name": "ignore",  # first_name and last_name again
    "legal_name": "custom:legal_name",
    "employer": "custom:employer",
    "occupation": "custom:occupation",
    "sex": "custom:gender",
    "party": "custom:party",
    # Religion and ethnic origin are special categories (GDPR art. 9) a campaign has no
    # ground to keep: left out unless someone maps them on purpose.
    "religion": "ignore",
    "church": "ignore",
    "ethnicity": "ignore",
    "marital_status": "custom:marital_status",
    "website": "custom:website",
    "language": "custom:language",
    "is_deceased": "custom:is_deceased",
    "born_at": "birth_date",
    # Up to four addresses; the export also writes the primary one again as "email".
    "email1": "email",
    "email2": "email_2",
    "email3": "custom:email3",
    "email4": "custom:email4",
    "email": "email",
    "email_opt_in": "consent_email",
    # Home, work and mobile numbers; phone_number is the home phone.
    "phone_number": "phone",
    "work_phone_number": "phone_3",
    "do_not_call": "optout_phone",
    "do_not_contact": "optout_all",
    "federal_donotcall": "custom:federal_donotcall",
    "mobile_number": "phone_2",
    "mobile_opt_in": "consent_sms",
    "is_mobile_bad": "ignore",  # the SMS provider's bounce flag
    "fax_number": "custom:fax_number",
    "support_level": "custom:support_level",
    "inferred_support_level": "ignore",  # NationBuilder's own model score
    "priority_level": "ignore",  # internal rating
    "availability": "custom:availability",
    "note": "custom:notes",
    "parent_id": "ignore",  # NationBuilder's id of the point person
    "point_person_name_or_email": "custom:point_person",
    "recruiter_id": "ignore",  # NationBuilder's id of the recruiter
    "recruiter_name_or_email": "custom:recruiter",
    "tag_list": "tags",
    "created_at": "source_at",
    "unsubscribed_at": "custom:unsubscribed_at",
    "is_volunteer": "custom:is_volunteer",
    "membership_names": "custom:membership_names",
    "email1_is_bad": "ignore",  # bounce flags
    "email2_is_bad": "ignore",
    "email3_is_bad": "ignore",
    "email4_is_bad": "ignore",
    "primary_country_code": "country",
    "primary_country": "country",  # the code's name: the code comes first and wins
    "primary_state": "custom:state",
    "primary_city": "commune",
    "primary_county": "custom:county",
    "primary_zip": "postal_code",
    "primary_address1": "street",
    "primary_address2": "street_2",
    "primary_address3": "street_3",
    # NationBuilder's import format: the home address without a prefix.
    "address1": "street",
    "address2": "street_2",
    "address3": "street_3",
    "city": "commune",
    "state": "custom:state",
    "zip": "postal_code",
    "country_code": "country",
}
