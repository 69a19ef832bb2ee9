from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.directory_export, name="export"),
    path("register/", views.register, name="register"),
    path("join/", views.join, name="join"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/decide/", views.decide_eligibility, name="decide_eligibility"),
    path("memberships/<int:pk>/decide/", views.decide_membership, name="decide_membership"),
    path("memberships/<int:pk>/role/", views.set_member_role, name="set_member_role"),
    path("memberships/<int:pk>/remove/", views.remove_member, name="remove_member"),
]
