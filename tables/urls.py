from django.urls import path

from tables.views import evaluations, history, members, messages, process, roles, sectors
from tables.views import tables as table_views

app_name = "tables"

urlpatterns = [
    path("", table_views.table_list, name="list"),
    path("mine/", table_views.my_tables, name="mine"),
    path("new/", table_views.table_create, name="create"),
    path("sectors/", sectors.sectors, name="sectors"),
    path("sectors/<int:pk>/edit/", sectors.sector_edit, name="sector_edit"),
    path("<int:pk>/", table_views.table_detail, name="detail"),
    path("<int:pk>/process/", table_views.table_process, name="process"),
    path("<int:pk>/edit/", table_views.table_edit, name="edit"),
    path("<int:pk>/members/", members.standing_members, name="standing_members"),
    path("<int:pk>/members/request/", members.standing_member_request, name="request_membership"),
    path("members/<int:pk>/decide/", members.standing_member_decide, name="standing_member_decide"),
    path("members/<int:pk>/edit/", members.standing_member_edit, name="standing_member_edit"),
    path("members/<int:pk>/end/", members.standing_member_end, name="standing_member_end"),
    path("<int:pk>/roles/", roles.roles, name="roles"),
    path("<int:pk>/coordinators/add/", roles.coordinator_add, name="coordinator_add"),
    path("<int:pk>/coordinators/<int:user_pk>/remove/", roles.coordinator_remove, name="coordinator_remove"),
    path("roles/<int:pk>/end/", roles.role_assignment_end, name="role_assignment_end"),
    path("nominations/", roles.nominations, name="nominations"),
    path("nominations/<int:pk>/accept/", roles.nomination_accept, name="nomination_accept"),
    path("nominations/<int:pk>/decline/", roles.nomination_decline, name="nomination_decline"),
    path("<int:pk>/steps/", process.steps, name="steps"),
    path("steps/<int:pk>/edit/", process.step_edit, name="step_edit"),
    path("steps/<int:pk>/delete/", process.step_delete, name="step_delete"),
    path("steps/<int:pk>/move/", process.step_move, name="step_move"),
    path("<int:pk>/history/", history.table_history, name="history"),
    path("<int:pk>/messages/", messages.message_list, name="messages"),
    path("<int:pk>/messages/new/", messages.message_compose, name="message_compose"),
    path("messages/<int:pk>/", messages.message_detail, name="message_detail"),
    path("<int:pk>/contacts.csv", messages.contacts_export, name="contacts_export"),
    path("<int:pk>/evaluations/", evaluations.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", evaluations.evaluation_summary_page, name="evaluation_summary"),
    path("evaluations/<int:pk>/answer/", evaluations.evaluation_answer, name="evaluation_answer"),
    path("evaluations/<int:pk>/open/", evaluations.evaluation_open, name="evaluation_open"),
    path("evaluations/<int:pk>/close/", evaluations.evaluation_close, name="evaluation_close"),
    path("evaluations/<int:pk>/reopen/", evaluations.evaluation_reopen, name="evaluation_reopen"),
    path("evaluations/<int:pk>/publish/", evaluations.evaluation_publish, name="evaluation_publish"),
    path("evaluations/<int:pk>/responses.csv", evaluations.evaluation_export, name="evaluation_export"),
]
