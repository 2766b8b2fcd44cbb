"""Email as every app sends it: one branded, responsive template with an HTML and a
text/plain part (rendering), merge fields as texts have them (fields), and the sending of
a transactional message to an address (transactional). The contacts app adds who may be
written to (contacts.mail); blasts add consent and unsubscribing on top."""
