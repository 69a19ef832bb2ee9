from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_next(request, default: str, **kwargs):
    """Redirects to the ``next`` field when it points inside this site, otherwise to ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Always as an address: redirect() would take "abc" for a view name and fail to find it.
        return HttpResponseRedirect(target)
    return redirect(default, **kwargs)
