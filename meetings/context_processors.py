"""What base.html's navigation shows of the workspace on every page (settings.TEMPLATES)."""

from functools import cached_property

from meetings.selectors.workspace import may_view_review_queue, waiting_total


class WorkspaceNavigation:
    """Read when the navigation is rendered, not before: a CSV download or a redirect asks nothing.
    The count is one query, cached on the user, so the workspace page itself does not count again."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def waiting(self) -> int:
        return waiting_total(self._user)

    @cached_property
    def show_review_queue(self) -> bool:
        return may_view_review_queue(self._user)


def workspace(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"workspace_nav": WorkspaceNavigation(user)}
