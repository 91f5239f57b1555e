"""Broker adapters: in-process memory and Redis, one contract (ports.Broker)."""
