"""Sectors (toimialat): the coordinators' list and editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kumppanuus.forms import add_service_errors
from tables import services
from tables.forms import SectorForm
from tables.models import Sector
from tables.selectors import sectors_for_user


@login_required
def sectors(request):
    if not request.user.has_perm("tables.add_sector"):
        raise PermissionDenied
    form = SectorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sector = services.sector_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sector %(name)s was added.") % {"name": sector.name})
            return redirect("tables:sectors")
    return render(
        request,
        "tables/sectors.html",
        {"form": form, "sectors": list(sectors_for_user(request.user))},
        status=400 if form.errors else 200,
    )


@login_required
def sector_edit(request, pk: int):
    sector = get_object_or_404(Sector.objects.select_related("welfare_area", "director"), pk=pk)
    if not request.user.has_perm("tables.change_sector", sector):
        raise PermissionDenied  # sectors are public: their names are on every table page
    form = SectorForm(request.POST or None, instance=sector, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.sector_update(actor=request.user, sector=sector, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sector was saved."))
            return redirect("tables:sectors")
    return render(request, "tables/sector_form.html", {"form": form, "sector": sector})
