from django.urls import path

from tables import views

app_name = "tables"

urlpatterns = [
    path("", views.table_list, name="list"),
    path("mine/", views.my_tables, name="mine"),
    path("new/", views.table_create, name="create"),
    path("sectors/", views.sectors, name="sectors"),
    path("sectors/<int:pk>/edit/", views.sector_edit, name="sector_edit"),
    path("<int:pk>/", views.table_detail, name="detail"),
    path("<int:pk>/process/", views.table_process, name="process"),
    path("<int:pk>/edit/", views.table_edit, name="edit"),
    path("<int:pk>/members/", views.standing_members, name="standing_members"),
    path("<int:pk>/members/request/", views.standing_member_request, name="request_membership"),
    path("members/<int:pk>/decide/", views.standing_member_decide, name="standing_member_decide"),
    path("members/<int:pk>/edit/", views.standing_member_edit, name="standing_member_edit"),
    path("members/<int:pk>/end/", views.standing_member_end, name="standing_member_end"),
    path("<int:pk>/roles/", views.roles, name="roles"),
    path("<int:pk>/coordinators/add/", views.coordinator_add, name="coordinator_add"),
    path("<int:pk>/coordinators/<int:user_pk>/remove/", views.coordinator_remove, name="coordinator_remove"),
    path("roles/<int:pk>/end/", views.role_assignment_end, name="role_assignment_end"),
    path("<int:pk>/steps/", views.steps, name="steps"),
    path("steps/<int:pk>/edit/", views.step_edit, name="step_edit"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
    path("steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("<int:pk>/evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_summary_page, name="evaluation_summary"),
    path("evaluations/<int:pk>/answer/", views.evaluation_answer, name="evaluation_answer"),
    path("evaluations/<int:pk>/open/", views.evaluation_open, name="evaluation_open"),
    path("evaluations/<int:pk>/close/", views.evaluation_close, name="evaluation_close"),
    path("evaluations/<int:pk>/responses.csv", views.evaluation_export, name="evaluation_export"),
]
