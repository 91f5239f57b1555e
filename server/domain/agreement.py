"""The confidentiality agreement every program starts with (version 1).

Leads adapt it to their clinic and publish new versions (rule 2).
"""

from __future__ import annotations

DEFAULT_AGREEMENT = """\
Our circle's confidentiality agreement

1. What is shared in the circle stays in the circle. I won't repeat, copy, \
screenshot or record what others share, here or anywhere else.
2. I use my chosen display name and protect other people's privacy: I don't \
try to find out who anyone is outside the circle.
3. I don't share contact details (phone, email, social media, addresses) while \
the program runs. When it ends, the program lead may open contact exchange for \
those who want it — always by mutual choice.
4. I speak from my own experience and listen without judging, advising or fixing.
5. If I'm struggling or feel unsafe, I reach out to the care team in my \
support room or with the support button, at any time.
6. The care team may remove messages or pause the conversation to keep the \
circle safe, and keeps a record of such actions.
7. Messages are kept only for the program's retention period, then deleted. I \
can export my own data and erase my own messages at any time.
"""
