"""Other tools' exports, one module per tool: the headers each writes, from its documentation.

Each module has NAME, DOCS (the pages its headers come from) and HEADERS ({header as the
tool writes it: target}); contacts.imports.mapping learns every tool's headers from here,
and names the tool a file most likely comes from."""

from types import ModuleType

from . import (
    action_network,
    address_books,
    brevo,
    civicrm,
    google_contacts,
    helloasso,
    mailchimp,
    nationbuilder,
    qomon,
    zetkin,
)

TOOLS: list[ModuleType] = [
    nationbuilder,
    action_network,
    mailchimp,
    brevo,
    qomon,
    helloasso,
    zetkin,
    civicrm,
    google_contacts,
    address_books,
]
