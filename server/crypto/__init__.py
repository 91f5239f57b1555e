"""Encryption at rest (rule 13): AES-GCM envelopes with per-program data keys."""
