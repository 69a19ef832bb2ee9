"""Where organisations keeps personal data (the vocabulary: kumppanuus/personal_data.py)."""

from kumppanuus.personal_data import Link, NoPersonalData, OnDelete, PersonalData

PERSONAL_DATA = (
    PersonalData(
        "organisations.AreaCoordinator",
        links=(Link("user", OnDelete.DELETE, download=("welfare_area", "created_at")),),
    ),
    PersonalData(
        "organisations.Municipality",
        links=(Link("liaison_persons", OnDelete.CLEAR, download=("name",)),),
    ),
    PersonalData(
        "organisations.Organisation",
        links=(Link("eligibility_decided_by", OnDelete.CLEAR, download=("name", "eligibility")),),
        why="The public contact e-mail is the organisation's, published in the directory, not a person's.",
    ),
    PersonalData(
        "organisations.Membership",
        links=(
            Link(
                "user",
                OnDelete.DELETE,
                download=("organisation", "role", "status", "message", "decision_reason", "created_at", "decided_at"),
            ),
            # Who decided another person's request: the decision stays, without its maker.
            Link("decided_by", OnDelete.CLEAR, download=("organisation", "status", "decided_at")),
        ),
    ),
)

NO_PERSONAL_DATA = (
    NoPersonalData("organisations.WelfareArea", "Counties' names; their coordinators are AreaCoordinator rows."),
    NoPersonalData("organisations.Theme", "The names of fields of activity, from a managed list."),
)
