"""Imports the wellbeing services counties and municipalities of Finland (idempotent)."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organisations.models import Municipality, WelfareArea

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Import wellbeing services counties and municipalities from CSV files (default: the bundled 2021 data)."

    def add_arguments(self, parser):
        parser.add_argument("--areas", default=str(DATA_DIR / "welfare_areas.csv"))
        parser.add_argument("--municipalities", default=str(DATA_DIR / "municipalities.csv"))

    @transaction.atomic
    def handle(self, *args, areas, municipalities, **options):
        areas_by_code = {}
        for row in _read(areas):
            area, _ = WelfareArea.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name_fi"], "name_fi": row["name_fi"], "name_sv": row["name_sv"],
                    "short_name": row["short_name_fi"], "short_name_fi": row["short_name_fi"],
                    "short_name_sv": row["short_name_sv"],
                    "population": int(row["population_2020"] or 0) or None,
                },
            )
            areas_by_code[area.code] = area
        count = 0
        for row in _read(municipalities):
            area = areas_by_code.get(row["welfare_area_code"])
            if area is None:
                raise CommandError(f"Municipality {row['code']} names an unknown area {row['welfare_area_code']!r}.")
            Municipality.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name_fi"], "name_fi": row["name_fi"], "name_sv": row["name_sv"],
                    "welfare_area": area, "population": int(row["population_2020"] or 0) or None,
                },
            )
            count += 1
        self.stdout.write(f"Imported {len(areas_by_code)} wellbeing services counties and {count} municipalities.")


def _read(path):
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
