"""Personal data (GDPR): the person's own data as a download, and deleting the account.

Included without a namespace (the names are ``personal_data``, ``personal_data_download`` and
``account_delete``, as before the app existed), under ``me/data/``.
"""

from django.urls import path

from privacy import views

urlpatterns = [
    path("", views.personal_data, name="personal_data"),
    path("download/", views.personal_data_download, name="personal_data_download"),
    path("delete/", views.account_delete_confirm, name="account_delete"),
]
