"""The download: everything held about a person, as plain data for a JSON file."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from kumppanuus.personal_data import Link
from kumppanuus.translated import in_active_language
from meetings.models import (
    ActionItem,
    ActionItemReminder,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingReminder,
    Minutes,
)
from organisations.models import AreaCoordinator, Membership, Organisation
from outbox.models import Notification
from privacy.catalogue import admin_log_about, history_of, model_of, personal_data, rows_q
from privacy.common import historical_models, invitations_q
from tables.models import (
    EvaluationAnswer,
    EvaluationReminder,
    EvaluationResponse,
    PartnershipTable,
    RoleAssignment,
    Sector,
    StandingMember,
)

EXPORT_FORMAT = "kumppanuus-personal-data"
# 2: agenda items carry their texts ("presenter" is the text, "presenting" says she presents);
# the audit history's older versions and the admin log's entries about the person.
EXPORT_VERSION = 2


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _meeting(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "table": meeting.table.name,
        "starts_at": _time(meeting.starts_at),
        "ends_at": _time(meeting.ends_at),
        "status": meeting.status,
    }


# --- Download: everything held about a person ----------------------------------------


def personal_data_export(user: User) -> dict:
    """Everything the service holds about ``user``, as plain data for a JSON file.

    Only the person's own data: other people appear in none of the values (a membership request
    says which organisation, not who decided it). The password hash and the session are left out.
    A fixed number of queries (about 30), however much data the person has.
    """
    email_addresses = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    # Only verified addresses are the person's: one typed into "add e-mail" and never confirmed may
    # be someone else's (the rule of accounts/selectors.py, here on the rows already loaded).
    addresses = sorted(address.email for address in email_addresses if address.verified)
    invitations = (
        Invitation.objects.filter(invitations_q(user, addresses))
        .select_related("meeting__table", "organisation", "rsvp")
        .prefetch_related(Prefetch("reminders", queryset=MeetingReminder.objects.order_by("created_at", "pk")))
        .order_by("meeting__starts_at", "pk")
    )
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _time(timezone.now()),
        "account": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "notify_meeting_reminders": user.notify_meeting_reminders,
            "notify_evaluation_reminders": user.notify_evaluation_reminders,
            "notify_action_items": user.notify_action_items,
            "notification_rhythms": user.notification_rhythms,
            "calendar_feed_token": user.calendar_token,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
            "groups": list(user.groups.order_by("name").values_list("name", flat=True)),
            "permissions": [
                f"{app_label}.{codename}"
                for app_label, codename in user.user_permissions.order_by(
                    "content_type__app_label", "codename"
                ).values_list("content_type__app_label", "codename")
            ],
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in email_addresses
        ],
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "organisation_id": membership.organisation_id,
                "role": membership.role,
                "status": membership.status,
                "message": membership.message,
                "decision_reason": membership.decision_reason,
                "requested_at": _time(membership.created_at),
                "decided_at": _time(membership.decided_at),
            }
            for membership in Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
        ],
        "coordinator_roles": [
            {"wellbeing_services_county": role.welfare_area.name, "since": _time(role.created_at)}
            for role in AreaCoordinator.objects.filter(user=user).select_related("welfare_area").order_by("pk")
        ],
        "tables_coordinated": [
            {"table": table.name, "table_id": table.pk} for table in user.coordinated_tables.order_by("name", "pk")
        ],
        "tables_owned": [
            {"table": table.name, "table_id": table.pk}
            for table in PartnershipTable.objects.filter(owner=user).order_by("name", "pk")
        ],
        "sectors_directed": [
            {"sector": sector.name, "wellbeing_services_county": sector.welfare_area.name}
            for sector in Sector.objects.filter(director=user).select_related("welfare_area").order_by("pk")
        ],
        "liaison_for_municipalities": list(user.liaison_municipalities.order_by("name").values_list("name", flat=True)),
        "standing_member_roles": [
            {
                "table": seat.table.name,
                "organisation": seat.organisation.name,
                "role": "representative" if seat.representative_id == user.pk else "substitute",
                "status": seat.status,
            }
            for seat in StandingMember.objects.filter(Q(representative=user) | Q(substitute=user))
            .select_related("table", "organisation")
            .order_by("pk")
        ],
        "role_assignments": [
            {
                "table": assignment.table.name,
                "role": assignment.role.name,
                "valid_from": _day(assignment.valid_from),
                "valid_to": _day(assignment.valid_to),
            }
            for assignment in RoleAssignment.objects.filter(user=user).select_related("table", "role").order_by("pk")
        ],
        "invitations": [_invitation(invitation) for invitation in invitations],
        "attendance": [
            {
                "meeting": _meeting(row.meeting),
                "organisation": row.organisation.name if row.organisation else None,
                "attended": row.attended,
                "online": row.online,
                "recorded_at": _time(row.recorded_at),
            }
            for row in Attendance.objects.filter(
                Q(user=user) | Q(invitation__in=Invitation.objects.filter(invitations_q(user, addresses)))
            )
            .select_related("meeting__table", "organisation")
            .order_by("meeting__starts_at", "pk")
        ],
        "meetings": [
            {
                "meeting": _meeting(meeting),
                "chair": meeting.chair_person_id == user.pk,
                "secretary": meeting.secretary_id == user.pk,
                "created": meeting.created_by_id == user.pk,
            }
            for meeting in Meeting.objects.filter(Q(chair_person=user) | Q(secretary=user) | Q(created_by=user))
            .select_related("table")
            .order_by("starts_at", "pk")
        ],
        "agenda_items": [
            {
                "meeting": _meeting(item.meeting),
                "title": item.title,
                # What the person wrote (proposed) or what names them (presenter): as the list says.
                **_declared(item, user),
                "status": item.status,
                "proposed": item.proposed_by_id == user.pk,
                "presenting": item.presenter_user_id == user.pk,
                "decided": item.decided_by_id == user.pk,
                "created_at": _time(item.created_at),
            }
            for item in AgendaItem.objects.filter(Q(proposed_by=user) | Q(presenter_user=user) | Q(decided_by=user))
            .select_related("meeting__table")
            .order_by("meeting__starts_at", "pk")
        ],
        "minutes": [
            {
                "meeting": _meeting(minutes.meeting),
                "published": minutes.published_by_id == user.pk,
                "published_at": _time(minutes.published_at),
                "last_edited": minutes.updated_by_id == user.pk,
                "updated_at": _time(minutes.updated_at),
            }
            for minutes in Minutes.objects.filter(Q(published_by=user) | Q(updated_by=user))
            .select_related("meeting__table")
            .order_by("meeting__starts_at", "pk")
        ],
        "action_items": [
            {
                "meeting": _meeting(item.meeting),
                "what": item.what,
                "responsible": item.owner_user_id == user.pk,
                "created": item.created_by_id == user.pk,
                "organisation": item.owner_organisation.name if item.owner_organisation else None,
                "due_on": _day(item.due_on),
                "status": item.status,
                "completed_at": _time(item.completed_at),
            }
            for item in ActionItem.objects.filter(Q(owner_user=user) | Q(created_by=user))
            .select_related("meeting__table", "owner_organisation")
            .order_by("meeting__starts_at", "pk")
        ],
        "action_item_reminders": [
            {
                "action_item": reminder.action_item.what,
                "meeting": reminder.action_item.meeting.title,
                "week": _day(reminder.week),
                "delivery_status": reminder.delivery_status,
                "sent_at": _time(reminder.sent_at),
            }
            for reminder in ActionItemReminder.objects.filter(user=user)
            .select_related("action_item__meeting")
            .order_by("week", "pk")
        ],
        "attendance_recorded_by_you": [
            {"meeting_id": row["meeting_id"], "meeting": row["meeting_title"], "rows": row["rows"]}
            for row in Attendance.objects.filter(recorded_by=user)
            .values("meeting_id", meeting_title=in_active_language("meeting__title"))
            .annotate(rows=Count("pk"))
            .order_by("meeting_id")
        ],
        "evaluation_responses": [
            {
                "table": response.evaluation.table.name,
                "year": response.evaluation.year,
                "submitted_at": _time(response.submitted_at),
                "updated_at": _time(response.updated_at),
                "answers": [
                    {
                        "question": answer.question.text,
                        "kind": answer.question.kind,
                        "scale_value": answer.scale_value,
                        "text": answer.text,
                    }
                    for answer in response.answers.all()
                ],
            }
            for response in EvaluationResponse.objects.filter(respondent=user)
            .select_related("evaluation__table")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=EvaluationAnswer.objects.select_related("question").order_by("question__position", "pk"),
                )
            )
            .order_by("evaluation__year", "pk")
        ],
        "evaluation_reminders": [
            {
                "table": reminder.evaluation.table.name,
                "year": reminder.evaluation.year,
                "kind": reminder.kind,
                "delivery_status": reminder.delivery_status,
                "sent_at": _time(reminder.sent_at),
            }
            for reminder in EvaluationReminder.objects.filter(user=user)
            .select_related("evaluation__table")
            .order_by("created_at", "pk")
        ],
        # One-off e-mails (decisions, requests, a place from the waiting list): what and when.
        "notifications": [
            {
                "kind": notification.kind,
                "email": notification.email,
                "delivery_status": notification.delivery_status,
                "created_at": _time(notification.created_at),
                "sent_at": _time(notification.sent_at),
            }
            for notification in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "decisions_by_you": _decisions_by(user),
        "audit_history": _audit_history(user),
        "audit_history_versions": _history_versions(user),
        "admin_log_about_you": _admin_log_about(user, addresses),
    }
    return data


def _invitation(invitation: Invitation) -> dict:
    rsvp = getattr(invitation, "rsvp", None)
    return {
        "meeting": _meeting(invitation.meeting),
        "email": invitation.email,
        "name": invitation.name,
        "language": invitation.language,
        "invited_as": invitation.source,
        "organisation": invitation.organisation.name if invitation.organisation else None,
        "delivery_status": invitation.delivery_status,
        "message_sent": invitation.sent_kind,
        "sent_at": _time(invitation.sent_at),
        "rsvp": None
        if rsvp is None
        else {
            "response": rsvp.response,
            "waitlisted": rsvp.waitlisted,
            "note": rsvp.note,
            "responded_at": _time(rsvp.responded_at),
        },
        "reminders": [
            {"kind": reminder.kind, "delivery_status": reminder.delivery_status, "sent_at": _time(reminder.sent_at)}
            for reminder in invitation.reminders.all()
        ],
    }


def _decisions_by(user: User) -> dict:
    """What the person decided or did about others, without naming the others (four queries)."""
    return {
        "organisation_eligibility": [
            {"organisation": row["name"], "eligibility": row["eligibility"], "decided_at": _time(row["decided_at"])}
            for row in Organisation.objects.filter(eligibility_decided_by=user)
            .values("name", "eligibility", decided_at=models.F("eligibility_decided_at"))
            .order_by("pk")
        ],
        "membership_requests": [
            {"organisation": row["organisation__name"], "status": row["status"], "decided_at": _time(row["decided_at"])}
            for row in Membership.objects.filter(decided_by=user)
            .values("organisation__name", "status", "decided_at")
            .order_by("pk")
        ],
        "standing_members": [
            {
                "table": seat.table.name,
                "organisation": seat.organisation.name,
                "requested": seat.requested_by_id == user.pk,
                "decided": seat.decided_by_id == user.pk,
                "status": seat.status,
            }
            for seat in StandingMember.objects.filter(Q(requested_by=user) | Q(decided_by=user))
            .select_related("table", "organisation")
            .order_by("pk")
        ],
        "invitations_added": [
            {"meeting_id": row["meeting_id"], "meeting": row["meeting_title"], "people": row["people"]}
            for row in Invitation.objects.filter(added_by=user)
            .values("meeting_id", meeting_title=in_active_language("meeting__title"))
            .annotate(people=Count("pk"))
            .order_by("meeting_id")
        ],
    }


def _audit_history(user: User) -> list[dict]:
    """How many audited changes the person made, per kind of record (one query per audited model)."""
    rows = []
    for model in historical_models():
        count = model.objects.filter(history_user=user).count()
        if count:
            rows.append({"record": model.instance_type._meta.label, "changes": count})
    rows.append({"record": LogEntry._meta.label, "changes": LogEntry.objects.filter(user=user).count()})
    return rows


def _text_fields(model: type[models.Model], link: Link) -> list[str]:
    """The link's download fields that hold plain values (the ones a related row has are shown by
    the section of the download that lists the row)."""
    names = []
    for name in link.download:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.is_relation:
            names.append(name)
    return names


def _value(value):
    return _time(value) if isinstance(value, datetime.datetime) else value


def _declared(row: models.Model, user: User) -> dict:
    """The fields the list declares for the links through which ``row`` reaches the person."""
    [entry] = [entry for entry in personal_data() if entry.model == row._meta.label]
    values = {}
    for link in entry.links:
        if link.direct and getattr(row, row._meta.get_field(link.path).attname) == user.pk:
            values.update({name: _value(getattr(row, name)) for name in _text_fields(type(row), link)})
    return values


def _history_versions(user: User) -> list[dict]:
    """Every older version the audit history keeps of a row that reaches the person, with the
    fields the list declares for the links it reaches them by (one query per audited model)."""
    rows = []
    for entry in personal_data():
        history = history_of(model_of(entry))
        links = [link for link in entry.links if history is not None and _in_history(history, link)]
        if not links:
            continue
        condition = Q()
        for link in links:
            condition |= rows_q(link, user)
        for version in history.objects.filter(condition).order_by("history_date", "history_id"):
            reached = [
                link for link in links if getattr(version, history._meta.get_field(link.path).attname) == user.pk
            ]
            rows.append(
                {
                    "record": entry.model,
                    "id": version.id,
                    "as": [link.path for link in reached],
                    "changed_at": _time(version.history_date),
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[version.history_type],
                    "values": {
                        name: _value(getattr(version, name)) for link in reached for name in _text_fields(history, link)
                    },
                }
            )
    return rows


def _in_history(history: type[models.Model], link: Link) -> bool:
    try:
        history._meta.get_field(link.path)
    except FieldDoesNotExist:  # a many-to-many link or a lookup: not in the history tables
        return False
    return True


def _admin_log_about(user: User, addresses: list[str]) -> list[dict]:
    """The admin log's entries about the person (the account, their own rows), without who made
    them (one query)."""
    about = admin_log_about(user, addresses)
    return [
        {
            "record": f"{entry.content_type.app_label}.{entry.content_type.model}",
            "id": entry.object_id,
            "object": entry.object_repr,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag, str(entry.action_flag)),
            "changes": entry.get_change_message(),
            "at": _time(entry.action_time),
        }
        for entry in LogEntry.objects.filter(about).select_related("content_type").order_by("action_time", "pk")
    ]
