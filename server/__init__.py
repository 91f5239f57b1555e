"""Integration Circles: moderated, durable, ordered chat for group KAP programs."""

__version__ = "0.1.0"
