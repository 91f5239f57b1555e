"""Demo data for the embedded default, so a newcomer can chat from two tabs
right away: one program with a lead, a facilitator and two participants."""

from __future__ import annotations

import secrets
from pathlib import Path

from ..domain.errors import Conflict
from ..domain.model import ProgramKind, ProgramStatus, Role
from .identity import IdentityService
from .programs import ProgramService

LEAD = "lead@demo.example"
GUIDE = "guide@demo.example"
PARTICIPANTS = (("robin@demo.example", "Robin"), ("sky@demo.example", "Sky"))


def demo_password(data_dir: Path) -> str:
    """One random password for every demo account, kept in the data folder."""
    path = data_dir / "demo-password"
    if path.exists():
        return path.read_text().strip()
    password = "demo-" + secrets.token_urlsafe(9)
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(password)
    path.chmod(0o600)
    return password


async def seed_demo(identity: IdentityService, programs: ProgramService, password: str) -> bool:
    """Create the demo program once; False when it already exists."""
    try:
        lead = await identity.create_staff(LEAD, "Demo Lead", password, is_admin=True)
    except Conflict:
        return False
    guide = await identity.create_staff(GUIDE, "Demo Guide", password)
    program, _ = await programs.create(lead, "Demo circle", ProgramKind.CLOSED, "US", "Lead Lee")
    await programs.set_status(lead, program.id, ProgramStatus.ACTIVE)
    await programs.add_staff(lead, program.id, guide.email, Role.FACILITATOR, "Guide Gale")
    for email, name in PARTICIPANTS:
        invite = await programs.invite(lead, program.id, email, f"{name} (demo)")
        await identity.redeem(invite["invite"], name, password)
        # Demo participants arrive cleared with the agreement accepted, so the
        # circle opens at once; real participants go through both steps.
        participant = await identity.account_by_email(email)
        member = await programs.member_of_account(program.id, participant.id)
        await programs.clear(lead, program.id, member.id)
        await programs.accept(participant, program.id, 1)
    return True
