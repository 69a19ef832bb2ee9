"""A table's audit history (issue 13)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tables.selectors import TABLE_HISTORY_KINDS, table_get_for_management, table_history_page


@login_required
def table_history(request, pk: int):
    table = table_get_for_management(user=request.user, pk=pk, permission="tables.view_history")
    kind = request.GET.get("kind")
    kind = kind if kind in TABLE_HISTORY_KINDS else None
    return render(
        request,
        "tables/history.html",
        {
            "table": table,
            "page": table_history_page(table, kind=kind, page_number=request.GET.get("page")),
            "kind": kind,
            "kinds": TABLE_HISTORY_KINDS.items(),
            "query_string": f"kind={kind}" if kind else "",
            "can_change": request.user.has_perm("tables.change_table", table),
        },
    )
