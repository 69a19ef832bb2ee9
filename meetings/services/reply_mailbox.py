"""The reply mailbox: reads the iTIP replies that calendar programs sent to the invitations'
ORGANIZER sub-addresses (meetings/tokens.py) over IMAP, and records each once (services/itip.py).

Configured by one URL, settings.CALENDAR_REPLY_IMAP_URL::

    imaps://user:password@imap.example.org:993/INBOX?processed=Processed&rejected=Rejected

``imaps://`` is IMAP over TLS with the system's certificate authorities (the port defaults to 993);
``imap://`` is plain IMAP (port 143), for a server on the same host or the test suite only. The
user and password are URL-encoded; ``?cafile=/path/ca.pem`` trusts a private certificate authority
(the certificate and host name are always checked). Empty (the embedded default): the poll does nothing.

Each message in the folder is fetched without marking it read, its answer recorded (or refused),
and only then moved to the processed or rejected folder (MOVE, else COPY + delete + EXPUNGE); it is
never deleted before its answer is stored. The record of the message (CalendarReply, unique by
Message-ID) commits with the answer, so a poll that dies between recording and moving, a second
worker polling at the same time, or the same message delivered twice records the answer once:
the next poll finds the message done and only moves it. A server that is down or drops the
connection is logged; what was not moved stays for the next poll.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import get_random_string

from meetings.services.itip import calendar_reply_process

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
# One poll at a time (in the shared cache, Redis in production): two sessions moving the same
# message could both copy it before either sees it gone. A worker that dies holding it holds it
# until it expires. The answers do not depend on it: CalendarReply records each message once.
LOCK_KEY = "meetings:reply-mailbox-poll"
LOCK_SECONDS = 300
FETCH_BATCH = 50  # messages per poll, so one run stays short; the next poll takes the rest


@dataclass(frozen=True)
class MailboxConfig:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str
    processed: str
    rejected: str
    cafile: str = ""  # certificate authorities to trust instead of the system's (a private CA)


class MailboxConfigError(ValueError):
    pass


def mailbox_config(url: str) -> MailboxConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("imaps", "imap") or not parts.hostname or not parts.username:
        raise MailboxConfigError("CALENDAR_REPLY_IMAP_URL must be imaps://user:password@host[:port]/FOLDER")
    query = parse_qs(parts.query)
    secure = parts.scheme == "imaps"
    return MailboxConfig(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed=query.get("processed", ["Processed"])[0],
        rejected=query.get("rejected", ["Rejected"])[0],
        cafile=query.get("cafile", [""])[0],
    )


@dataclass
class PollResult:
    seen: int = 0
    recorded: int = 0
    rejected: int = 0
    duplicates: int = 0
    moved: int = 0
    error: str = ""
    reasons: list[str] = field(default_factory=list)
    busy: bool = False  # another poll was running

    def as_dict(self) -> dict:
        return {
            "seen": self.seen, "recorded": self.recorded, "rejected": self.rejected,
            "duplicates": self.duplicates, "moved": self.moved, "error": self.error, "busy": self.busy,
        }


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    if config.secure:
        conn = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=ssl.create_default_context(cafile=config.cafile or None),
            timeout=TIMEOUT_SECONDS,
        )
    else:
        conn = imaplib.IMAP4(config.host, config.port, timeout=TIMEOUT_SECONDS)
    conn.login(config.user, config.password)
    # Servers announce more after login (Dovecot's MOVE, UIDPLUS) than in their greeting.
    typ, data = conn.capability()
    if typ == "OK" and data and data[-1]:
        conn.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())
    return conn


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ensure_folder(conn: imaplib.IMAP4, folder: str) -> None:
    typ, data = conn.list('""', _quote(folder))
    if typ == "OK" and data and data[0]:
        return
    typ, data = conn.create(_quote(folder))
    if typ != "OK":
        logger.info("reply mailbox: could not create %s (%s); it may exist already", folder, data)


def _move(conn: imaplib.IMAP4, uid: bytes, folder: str) -> bool:
    if "MOVE" in conn.capabilities:
        typ, data = conn.uid("MOVE", uid, _quote(folder))
    else:
        typ, data = conn.uid("COPY", uid, _quote(folder))
        if typ == "OK":
            conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
            if "UIDPLUS" in conn.capabilities:
                conn.uid("EXPUNGE", uid)
            else:
                conn.expunge()
    if typ != "OK":
        logger.warning("reply mailbox: could not move message %s to %s: %s", uid, folder, data)
    return typ == "OK"


def _message(parts) -> bytes | None:
    for part in parts or []:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def reply_mailbox_poll(url: str | None = None) -> PollResult:
    """Reads the reply mailbox once: records each reply and moves it aside. Never raises for the
    mailbox's own failures (logged, and the result says so); does nothing when unconfigured."""
    url = settings.CALENDAR_REPLY_IMAP_URL if url is None else url
    result = PollResult()
    if not url:
        return result
    try:
        config = mailbox_config(url)
    except MailboxConfigError as error:
        logger.error("reply mailbox: %s", error)
        result.error = str(error)
        return result
    holder = get_random_string(16)
    if not cache.add(LOCK_KEY, holder, LOCK_SECONDS):
        logger.info("reply mailbox: another poll is running")
        result.busy = True
        return result
    try:
        _poll(config, result)
    finally:
        if cache.get(LOCK_KEY) == holder:
            cache.delete(LOCK_KEY)
    if result.seen:
        logger.info("reply mailbox: %s", result.as_dict())
    return result


def _poll(config: MailboxConfig, result: PollResult) -> None:
    conn = None
    try:
        conn = _connect(config)
        typ, data = conn.select(_quote(config.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot open {config.folder}: {data}")
        _ensure_folder(conn, config.processed)
        _ensure_folder(conn, config.rejected)
        typ, data = conn.uid("SEARCH", None, "UNDELETED")
        uids = data[0].split()[:FETCH_BATCH] if typ == "OK" and data and data[0] else []
        for uid in uids:
            typ, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _message(parts) if typ == "OK" else None
            if raw is None:
                continue  # gone since the search (another worker moved it)
            result.seen += 1
            outcome = calendar_reply_process(raw)
            if outcome.recorded:
                result.recorded += 1
            elif outcome.duplicate:
                result.duplicates += 1
            else:
                result.rejected += 1
                result.reasons.append(outcome.reason)
            # Only now, with the answer (or the refusal) committed, does the message leave the folder.
            if _move(conn, uid, config.processed if outcome.accepted else config.rejected):
                result.moved += 1
    except (OSError, imaplib.IMAP4.error, EOFError) as error:  # TLS errors and timeouts are OSErrors
        # Down, refused, dropped or timed out: what was recorded stays recorded, what was not moved
        # is still in the folder, and the next poll carries on.
        result.error = f"{type(error).__name__}: {error}"
        logger.warning("reply mailbox %s:%s: %s", config.host, config.port, result.error)
    finally:
        if conn is not None:
            try:
                conn.logout()
            except (OSError, imaplib.IMAP4.error, EOFError):
                pass
