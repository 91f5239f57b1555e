"""A Python client for Integration Circles (the ``websockets`` package) and a CLI."""

from .sdk import Ack, AuthFailed, CircleClient, CircleError, Event, Joined

__all__ = ["Ack", "AuthFailed", "CircleClient", "CircleError", "Event", "Joined"]
