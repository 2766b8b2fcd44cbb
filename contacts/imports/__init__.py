"""Importing contact files: read (reader), map columns (mapping), clean (cleaning), merge (merge)."""
