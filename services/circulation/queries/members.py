"""Members' queries (members.sql): register one or a list, lock one, save a change."""

from __future__ import annotations

import msgspec

from pustaka.sql import load
from services.circulation.queries.views import MemberRow

Q = load(__file__, "members.sql")


class Registered(msgspec.Struct):
    """A member of an imported list, as inserted: what the event log keeps."""

    id: int
    member_number: str
    birth_year: int
    gender: str
    disability: bool


next_member_numbers = Q.value("next_member_numbers", int)
"""Reserve `count` member numbers of a library: the last one reserved."""
insert_member = Q.one("insert_member", MemberRow)
insert_members = Q.all("insert_members", Registered)
"""Insert a list of members (column arrays, one element per member), in list order."""
member_for_update = Q.one("member_for_update", MemberRow)
update_member = Q.one("update_member", MemberRow)
"""Save every editable field of a member (the caller passes the unchanged ones as they were)."""
