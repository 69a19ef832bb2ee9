"""The rows the data migrations seed survive a transactional test's flush (conftest.py puts them back).

Over two processes (pytest-xdist) a test that needs the seeded process roles, evaluation template,
themes or site name may run after a transactional test in the same database. Run in one process
(`pytest -n 0`, or when both land in the same one) the second of these follows the first one's
flush, and failed before conftest.py put the rows back.
"""

import pytest
from django.contrib.sites.models import Site

from organisations.models import Theme
from tables.models import EvaluationTemplate, ProcessRole


def _seeded() -> bool:
    return (
        EvaluationTemplate.objects.filter(is_default=True).exists()
        and ProcessRole.objects.filter(slug="chair").exists()
        and Theme.objects.exists()
        and Site.objects.filter(name="Kumppanuus").exists()
    )


@pytest.mark.django_db(transaction=True)
def test_seeded_rows_are_there_in_a_transactional_test():
    assert _seeded()


@pytest.mark.django_db(transaction=True)
def test_seeded_rows_are_there_again_after_the_flush_of_the_one_before():
    assert _seeded()
