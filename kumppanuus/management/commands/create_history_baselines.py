"""Gives every history-tracked row that has no audit history a baseline record (issue 13).

Rows written by data migrations, ``bulk_create`` or raw imports bypass django-simple-history's
signals; without a first record, the first change of such a row could show no difference. Unlike
simple-history's ``populate_history`` (which skips a model that has any history at all) this looks
row by row, so it is safe to run after every import or deploy.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from kumppanuus.history import history_baselines_create_all


class Command(BaseCommand):
    help = "Write a baseline audit-history record for every tracked row that has none (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        written = history_baselines_create_all()
        total = sum(written.values())
        for label, count in written.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"History baselines written: {total}.")
