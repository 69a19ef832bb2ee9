"""Where tables keeps personal data (the vocabulary: kumppanuus/personal_data.py)."""

from kumppanuus.personal_data import Link, NoPersonalData, OnDelete, PersonalData

PERSONAL_DATA = (
    PersonalData("tables.Sector", links=(Link("director", OnDelete.CLEAR, download=("name",)),)),
    PersonalData(
        "tables.PartnershipTable",
        links=(
            # The owner may not be left empty: privacy refuses to delete an owner's account.
            Link("owner", OnDelete.CLEAR, download=("name",)),
            Link("coordinators", OnDelete.CLEAR, download=("name",)),
        ),
    ),
    PersonalData(
        "tables.StandingMember",
        links=(
            # The seat is the organisation's: it stays and loses its representative or substitute.
            Link("representative", OnDelete.CLEAR, download=("table", "organisation", "status")),
            Link("substitute", OnDelete.CLEAR, download=("table", "organisation", "status")),
            Link("requested_by", OnDelete.CLEAR, download=("table", "organisation", "status")),
            Link("decided_by", OnDelete.CLEAR, download=("table", "organisation", "status")),
        ),
    ),
    PersonalData(
        "tables.RoleAssignment",
        links=(
            Link("user", OnDelete.DELETE, download=("table", "role", "valid_from", "valid_to", "accepted_at")),
            # Who nominated someone is a record about the table: kept, without the nominator.
            Link("nominated_by", OnDelete.CLEAR, download=("table", "role", "valid_from")),
        ),
    ),
    # Evaluation answers stay for the table's yearly results, without the respondent.
    PersonalData(
        "tables.EvaluationResponse",
        links=(Link("respondent", OnDelete.ANONYMISE, download=("evaluation", "submitted_at", "updated_at")),),
    ),
    PersonalData(
        "tables.EvaluationAnswer",
        links=(Link("response__respondent", OnDelete.ANONYMISE, download=("question", "scale_value", "text")),),
    ),
    # A message stays in the table's archive for the people it was written to, without its author.
    PersonalData(
        "tables.TableMessage",
        links=(Link("author", OnDelete.CLEAR, download=("table", "subject", "body", "sent_at")),),
    ),
    PersonalData(
        "tables.EvaluationReminder",
        links=(Link("user", OnDelete.DELETE, download=("evaluation", "kind", "delivery_status", "sent_at")),),
    ),
)

NO_PERSONAL_DATA = (
    NoPersonalData("tables.ProcessRole", "The names of roles of the operating model, edited by administrators."),
    NoPersonalData("tables.ProcessTemplate", "The names of process templates."),
    NoPersonalData("tables.EvaluationTemplate", "The names of evaluation question sets."),
)
