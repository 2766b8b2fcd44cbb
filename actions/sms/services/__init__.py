"""Writes for texts, one module per use case (as Zulip keeps zerver/actions/): blasts,
sending, status (delivery reports), inbound (replies, STOP and START), recovery, optouts,
and the quiet hours they share. Import from the module that owns the function."""
