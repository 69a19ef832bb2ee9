"""Creates a national-scale dataset for benchmarks (see devdata/scale/__init__.py).

    python manage.py generate_scale_data            # scale 1: 10,000 organisations, 400,000 invitations
    python manage.py generate_scale_data --scale 0.01

Refuses a database that already has organisations or people, unless --force: then it adds a
second dataset beside what is there (new people, organisations, tables and meetings; the areas
and municipalities are shared). Nothing is e-mailed: every invitation and reminder is written
as already sent.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from devdata.scale import SCALE_PASSWORD, generate
from kumppanuus.history import history_baselines_create_all
from organisations.models import Organisation


class Command(BaseCommand):
    help = "Create a national-scale dataset with bulk inserts (22 areas, 10,000 organisations, … at --scale 1)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiplies every count (default 1.0).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed makes the same data.")
        parser.add_argument(
            "--force", action="store_true", help="Add the dataset even if the database already has data."
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if not force and (User.objects.exists() or Organisation.objects.exists()):
            raise CommandError(
                "This database already has people or organisations. Use an empty database, or --force "
                "to add a second dataset beside them."
            )
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] >= 1 else (lambda message: None)
        with transaction.atomic():
            counts = generate(scale=scale, seed=seed, log=log)
            # COPY bypasses simple-history's signals: give the audited rows their baseline (issue 13).
            baselines = sum(history_baselines_create_all().values())
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.1f} s at scale {scale}:"))
        for name, count in counts.items():
            self.stdout.write(f"  {name:18} {count:>9,}")
        self.stdout.write(f"  {'history baselines':18} {baselines:>9,}")
        self.stdout.write(f"Every person's password: {SCALE_PASSWORD}")
