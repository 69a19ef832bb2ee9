from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("E-mail outbox")

    def ready(self):
        # The services queue the send task by name (engine.SEND_TASK) and never import tasks.py;
        # registering the tasks here, in every process, is what lets an eager Celery (the embedded
        # default, the tests) run it in-process instead of handing it to a broker nobody reads.
        from outbox import tasks  # noqa: F401
        from outbox.notifications import register_row_type

        register_row_type()
