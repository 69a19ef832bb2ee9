from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    # The List-Unsubscribe address of notification e-mails (outbox/preferences.py): no sign-in needed.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
