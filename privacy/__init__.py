"""Privacy: personal data (GDPR): everything held about a person, as a download; deleting an account.

An app on the top floor because it reads and writes every app: ``accounts`` may not import
``meetings`` or ``tables`` (dependencies point meetings → tables → organisations → accounts, see
.importlinter). The download is ``selectors.personal_data_export``, the deletion
``services.account_delete``; ``admin.py`` composes the User admin so that deleting a person there
goes through the same service.

Where personal data lives is one list, kept beside the models: each app below declares in its
``personal_data.py`` which models hold personal data, how their rows reach a person, what the
download shows and what deletion does with them (the vocabulary is ``kumppanuus/personal_data.py``),
and which models hold none and why. ``catalogue.py`` gathers the lists (and declares the libraries'
models: allauth's addresses, the admin log); the download and the deletion both follow it, and
``tests/test_catalogue.py`` fails when a model with a person field is in neither list.

What deleting an account does, and why (``account_delete``):

* **Deleted with the account**: the account itself, its e-mail addresses (allauth), memberships,
  coordinator roles, role assignments, reminders and notifications sent to the person, the admin
  log entries about the account and those the person made (Django's log requires its author), the
  audit history of the rows deleted here, and the person's invitations (with their
  RSVPs) to meetings that have not ended yet: the person will not come, so their seat goes to the
  first person on the waiting list.
* **Kept anonymous**, so that statistics and records stay the same: invitations to meetings that
  have ended (or were held or cancelled) keep their RSVP, organisation and delivery state but lose
  the account, name and e-mail address (``Invitation.anonymised_at``; they are never sent again),
  and RSVP notes are cleared; attendance rows keep the organisation and lose the person and the
  invitation (the statistics count each as one person); evaluation responses lose the respondent.
* **Kept without the name**: minutes, decisions, agenda items, meetings and action items lose the
  person in every "by" field (Django's ``SET_NULL``); an action item the person owned keeps its
  organisation, or becomes unassigned; an agenda item the person proposed or presents loses its
  presenter text (typed, it usually names them). Standing member seats lose the representative or
  substitute. The audit history (django-simple-history) keeps the changes the person made, without
  them. The admin log's entries about the person's own rows (a membership, an invitation) lose
  their description; the entries are found by key, never by name, so an entry about anything else
  keeps its description whatever it says. For that, the admins with inline rows that name a person
  (an organisation's memberships, a table's role assignments) log those rows by key
  (``kumppanuus.personal_data.InlineKeysInAdminLog``).
* **Organisation data stays**, also when the person was its only representative.

Refused: deleting the last active superuser (nobody could administer the service) and deleting
the owner of a table's operating model (the field may not be empty: an admin names a new owner
first).

Sessions: the session of the request is ended by the view (logout). Any other session of the
person stops working at once, because it names an account that no longer exists (Django treats
it as signed out); the rows themselves expire with the sessions' normal clean-up.
"""
