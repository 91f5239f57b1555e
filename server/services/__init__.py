"""Use cases: load → decide (domain) → store → publish → acknowledge."""
