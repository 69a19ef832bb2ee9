"""Reads for the table pages, the evaluation and the reminder sweep (STYLE.md §1).

The package is split by subject; import from ``tables.selectors``. It imports nothing from
``tables.services``: the evaluation calendar both need lives in ``tables.evaluation_calendar``.
"""

from tables.selectors.evaluation_notices import (
    evaluation_notice_recipients,
    evaluation_notices_owed,
    evaluations_with_notices_due,
)
from tables.selectors.evaluations import (
    evaluation_export_rows,
    evaluation_get_for_management,
    evaluation_get_for_user,
    evaluation_questions,
    evaluation_respondent_ids,
    evaluation_response_for,
    evaluation_summary,
    evaluations_for_table,
    evaluations_to_open,
    open_evaluations_for_user,
    tables_without_evaluation,
)
from tables.selectors.tables import (
    copyable_tables_for_user,
    organisation_choices_for_table,
    organisation_members_queryset,
    process_context,
    public_table_queryset,
    register_table_page_section,
    represented_organisations,
    role_assignments_for_management,
    sector_choices_for_user,
    sectors_for_user,
    standing_member_request_reviewers,
    standing_members_for_management,
    table_detail_queryset,
    table_get_for_management,
    table_get_for_user,
    table_page_context,
    tables_for_user,
    with_member_counts,
)

__all__ = [
    "copyable_tables_for_user",
    "evaluation_export_rows",
    "evaluation_get_for_management",
    "evaluation_get_for_user",
    "evaluation_notice_recipients",
    "evaluation_notices_owed",
    "evaluation_questions",
    "evaluation_respondent_ids",
    "evaluation_response_for",
    "evaluation_summary",
    "evaluations_for_table",
    "evaluations_to_open",
    "evaluations_with_notices_due",
    "open_evaluations_for_user",
    "organisation_choices_for_table",
    "organisation_members_queryset",
    "process_context",
    "public_table_queryset",
    "register_table_page_section",
    "represented_organisations",
    "role_assignments_for_management",
    "sector_choices_for_user",
    "sectors_for_user",
    "standing_member_request_reviewers",
    "standing_members_for_management",
    "table_detail_queryset",
    "table_get_for_management",
    "table_get_for_user",
    "table_page_context",
    "tables_for_user",
    "tables_without_evaluation",
    "with_member_counts",
]
