"""The outbox: every e-mail Kumppanuus sends is a row here first, and leaves through one engine.

A ground-floor app: it imports no other app. The apps register their kinds of row
(``outbox.registry.register``) and their notification kinds (``register_notification``) when
they are ready; the engine (``outbox.engine``) claims, builds, sends, marks, retries and sweeps
them all the same way. See docs/architecture.md and docs/faults.md.
"""
