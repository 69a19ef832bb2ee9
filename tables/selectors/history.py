"""A table's audit history for its coordinators, owner and admins (issue 13).

Four kinds, merged newest first by ``kumppanuus.history``: the table's role assignments, its
process steps, the process roles it uses and its standing members. Process roles are shared by
every table (admins edit them in the admin); a table's page shows the changes to the roles its
assignments and steps name, so a coordinator sees when "Chair" was renamed or redescribed.
"""

from django.core.paginator import Page
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kumppanuus.history import HistorySource, history_page
from tables.models import PartnershipTable, ProcessRole, ProcessStep, RoleAssignment, StandingMember

TABLE_HISTORY_KINDS = {
    "roles": _("Role assignments"),
    "process": _("Process steps"),
    "process_roles": _("Process roles"),
    "members": _("Standing members"),
}


def table_history_sources(table: PartnershipTable, kind: str | None = None) -> list[HistorySource]:
    roles_used = Q(id__in=RoleAssignment.objects.filter(table=table).values("role_id")) | Q(
        id__in=ProcessStep.objects.filter(table=table).values("role_id")
    )
    sources = [
        HistorySource(
            kind="roles", label=TABLE_HISTORY_KINDS["roles"],
            queryset=RoleAssignment.history.filter(table_id=table.pk),
            subject_fields=("role", "user", "email"), excluded_fields=("table",),
        ),
        HistorySource(
            kind="process", label=TABLE_HISTORY_KINDS["process"],
            queryset=ProcessStep.history.filter(table_id=table.pk),
            subject_fields=("what",), excluded_fields=("table", "template"),
        ),
        HistorySource(
            kind="process_roles", label=TABLE_HISTORY_KINDS["process_roles"],
            queryset=ProcessRole.history.filter(roles_used),
            subject_fields=("id",),
        ),
        HistorySource(
            kind="members", label=TABLE_HISTORY_KINDS["members"],
            queryset=StandingMember.history.filter(table_id=table.pk),
            subject_fields=("organisation",), excluded_fields=("table",),
        ),
    ]
    return [source for source in sources if kind in (None, source.kind)]


def table_history_page(table: PartnershipTable, *, kind: str | None, page_number) -> Page:
    """One page of the table's history, newest first (``kind`` one of TABLE_HISTORY_KINDS, or None
    for all). A constant number of queries however long the history: see kumppanuus.history."""
    if kind not in TABLE_HISTORY_KINDS:
        kind = None
    return history_page(table_history_sources(table, kind), page_number)
