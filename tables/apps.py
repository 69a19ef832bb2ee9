from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TablesConfig(AppConfig):
    name = "tables"
    verbose_name = _("Partnership tables")

    def ready(self):
        # rules' autodiscovery only imports modules called rules.py; the table rules live
        # in permissions.py and must be registered in every process (web, worker, shell).
        # The services queue the tasks by name (they never import tasks.py); registering the
        # tasks here too lets an eager Celery (tests, the embedded default) run them in-process.
        from tables import permissions, tasks  # noqa: F401
