"""Sectors (toimialat) of a wellbeing services county."""

from collections.abc import Mapping

from django.db import transaction

from accounts.models import User
from organisations.models import WelfareArea
from tables.models import Sector
from tables.services._common import check_area_rights, clean_text


@transaction.atomic
def sector_create(
    *,
    actor: User | None,
    welfare_area: WelfareArea,
    name_fi: str,
    name_sv: str = "",
    name_en: str = "",
    director: User | None = None,
) -> Sector:
    """Adds a sector (toimiala) to a wellbeing services county."""
    check_area_rights(actor, welfare_area.pk)
    sector = Sector(
        welfare_area=welfare_area,
        name_fi=clean_text(name_fi),
        name_sv=clean_text(name_sv),
        name_en=clean_text(name_en),
        director=director,
    )
    sector.full_clean()
    sector.save()
    return sector


SECTOR_FIELDS = ("name_fi", "name_sv", "name_en", "director")


@transaction.atomic
def sector_update(*, actor: User | None, sector: Sector, data: Mapping) -> Sector:
    """Renames a sector or changes its director. The county of a sector does not change."""
    check_area_rights(actor, sector.welfare_area_id)
    for field in SECTOR_FIELDS:
        if field in data:
            value = data[field]
            setattr(sector, field, clean_text(value) if field.startswith("name") else value)
    sector.full_clean()
    sector.save()
    return sector
