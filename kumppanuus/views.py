from django.shortcuts import render

from organisations.selectors import home_counts


def home(request):
    return render(request, "home.html", {"counts": home_counts()})


def accessibility_statement(request):
    return render(request, "accessibility.html")


def privacy_notice(request):
    return render(request, "privacy.html")
