"""Broker adapters (memory, Redis, Redis Cluster) behind one contract,
ports.Broker, and presence stores (memory, Redis) behind presence.PresenceStore."""
