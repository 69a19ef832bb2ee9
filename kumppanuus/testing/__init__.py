"""Test support shared by every app: real services (SMTP, Redis, Celery workers) started by the tests.

Ground floor: imports no app.
"""
