"""Every write to sectors, partnership tables, standing members, roles, process steps, evaluations
and table messages.

Views, the admin's actions, management commands and tasks call these functions; none of
them writes the models directly. Each function validates (``full_clean``), writes in one
transaction, records who did it (``_history_user`` for the audit history) and queues its
e-mail with ``transaction.on_commit``.

The package is split by subject; import from ``tables.services``.
"""

from tables.evaluation_calendar import evaluation_dates_for_year, evaluation_notice_kinds_due
from tables.services.evaluation_notices import evaluation_send_notices
from tables.services.evaluations import (
    answer_field_name,
    default_evaluation_template,
    evaluation_close,
    evaluation_open,
    evaluation_publish_results,
    evaluation_reminders_send,
    evaluation_reopen,
    evaluation_respond,
    evaluation_schedule,
    evaluations_create_for_year,
)
from tables.services.messages import TABLE_MESSAGE, table_message_send
from tables.services.process_steps import (
    process_step_create,
    process_step_delete,
    process_step_move,
    process_step_update,
    process_steps_copy,
)
from tables.services.roles import (
    ROLE_NOMINATION,
    role_assignment_create,
    role_assignment_end,
    role_assignment_update,
    role_nomination_accept,
    role_nomination_decline,
    role_nominations_bind,
    table_add_coordinator,
)
from tables.services.sectors import sector_create, sector_update
from tables.services.standing_members import (
    standing_member_add,
    standing_member_decide,
    standing_member_end,
    standing_member_request,
    standing_member_update,
)
from tables.services.tables import (
    table_create,
    table_owner_hand_over,
    table_owner_successor,
    table_owner_take_over,
    table_remove_coordinator,
    table_update,
)

__all__ = [
    "TABLE_MESSAGE",
    "answer_field_name",
    "default_evaluation_template",
    "evaluation_close",
    "evaluation_dates_for_year",
    "evaluation_notice_kinds_due",
    "evaluation_open",
    "evaluation_publish_results",
    "evaluation_reminders_send",
    "evaluation_reopen",
    "evaluation_respond",
    "evaluation_schedule",
    "evaluation_send_notices",
    "evaluations_create_for_year",
    "process_step_create",
    "process_step_delete",
    "process_step_move",
    "process_step_update",
    "process_steps_copy",
    "ROLE_NOMINATION",
    "role_assignment_create",
    "role_assignment_end",
    "role_assignment_update",
    "role_nomination_accept",
    "role_nomination_decline",
    "role_nominations_bind",
    "sector_create",
    "sector_update",
    "standing_member_add",
    "standing_member_decide",
    "standing_member_end",
    "standing_member_request",
    "standing_member_update",
    "table_add_coordinator",
    "table_create",
    "table_message_send",
    "table_owner_hand_over",
    "table_owner_successor",
    "table_owner_take_over",
    "table_remove_coordinator",
    "table_update",
]
