"""Segments: saved filters or frozen lists of contacts, the targets of blasts and walk lists."""
