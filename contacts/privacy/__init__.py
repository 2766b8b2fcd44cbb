"""GDPR rights: access (art. 15), erasure (art. 17), objection (art. 21), and retention."""
