"""Possible duplicates: found set-based, reviewed by staff, merged without losing anything."""
