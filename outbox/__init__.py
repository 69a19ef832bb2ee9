"""The outbox: every e-mail the system sends is a row here, sent by one engine (built in issue 10).

Only this package marker exists so far; the import linter's contract (.importlinter) already places
the app on its floor, between accounts and the ground floor.
"""
