"""Self-harm and suicide risk in participant messages (DESIGN.md rule 11).

``assess_risk`` reads one message and says whether it suggests risk, and of
which kinds. It is pure and fast enough to run on every message; the
service delivers the message as usual and alerts staff when it returns a
signal. English, Spanish, German and Portuguese.
"""

from __future__ import annotations

from .detector import assess_risk
from .signal import RiskKind, RiskSignal

__all__ = ["RiskKind", "RiskSignal", "assess_risk"]
