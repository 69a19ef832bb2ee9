"""Table pages: thin views that check permission, bind a form, call one service and redirect.

The package is split by subject; tables/urls.py names each module's views.
"""
