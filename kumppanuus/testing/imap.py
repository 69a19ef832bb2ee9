"""A real IMAP server for the reply-mailbox tests: Debian's Dovecot (``make imap`` installs it),
started in the foreground on a spare local port with a throw-away configuration in a temporary
directory (plain IMAP on 127.0.0.1, a passwd-file user, Maildir storage), and stopped after.

Started in its own process group (like the servers of faults.py), so stopping it stops every
process it forked, and the kernel kills it if pytest dies first.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from kumppanuus.testing.faults import _die_with_pytest, _stop_group, free_port, wait_for

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {auth_user}
}}
service auth-worker {{
  user = {auth_user}
}}
service imap-login {{
  chroot =
}}
"""


class DovecotServer:
    """``dovecot -F`` with one user, on a spare port of 127.0.0.1."""

    def __init__(self, *, user: str = "kokoukset", password: str = "salasana-123", tls: bool = False):
        # A directory of its own under /tmp, not pytest's tmp_path: the mail processes run as an
        # unprivileged user (Dovecot refuses root), who must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="kumppanuus-imap-"))
        self.root.chmod(0o711)
        self.user, self.password = user, password
        self.port = free_port()
        # With tls: IMAP over TLS on tls_port too, with a self-signed certificate for 127.0.0.1 (cafile).
        self.tls_port = free_port() if tls else 0
        self.cafile = self.root / "cert.pem"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    @property
    def tls_url(self) -> str:
        """imaps:// to the TLS port; the caller adds ?cafile= to trust the self-signed certificate."""
        return f"imaps://{self.user}:{self.password}@127.0.0.1:{self.tls_port}/INBOX"

    def _ssl_settings(self) -> str:
        if not self.tls_port:
            return "ssl = no"
        key = self.root / "key.pem"
        if not key.exists():
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(self.cafile)],
                check=True, capture_output=True,
            )
        return f"ssl = yes\nssl_cert = <{self.cafile}\nssl_key = <{key}"

    def _write_config(self) -> Path:
        for name in ("run", "state", "mail", "home"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        uid, gid = os.getuid(), os.getgid()
        if uid == 0:  # the mail is kept by Dovecot's own user
            uid, gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
            for name in ("mail", "home"):
                os.chown(self.root / name, uid, gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root, port=self.port, tls_port=self.tls_port, ssl=self._ssl_settings(), uid=uid, gid=gid,
                **self._service_users(uid, gid),
            )
        )
        return config

    @staticmethod
    def _service_users(uid: int, gid: int) -> dict:
        """Dovecot's own processes run as the package's users when started as root (its login
        process refuses root), else as whoever runs the tests."""
        if os.getuid() == 0:
            # The passwd-file is in the test's private temporary directory: only root reads it.
            return {
                "internal_user": "dovecot", "internal_group": "dovecot", "login_user": "dovenull", "auth_user": "root",
            }
        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        return {"internal_user": user, "internal_group": group, "login_user": user, "auth_user": user}

    def start(self) -> DovecotServer:
        if not os.path.exists(DOVECOT):
            raise RuntimeError("Dovecot is not installed: run `make imap` (apt-get install dovecot-imapd)")
        config = self._write_config()
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "dovecot.stderr", "ab"),  # noqa: SIM115 - closed with the process
            start_new_session=True,
            preexec_fn=_die_with_pytest,
        )
        wait_for(self._answers, timeout=20, what=f"dovecot on port {self.port} (see {self.root}/dovecot.log)")
        return self

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            log = (self.root / "dovecot.stderr").read_text(errors="replace")
            raise RuntimeError(f"dovecot exited with {self.process.returncode}: {log}")
        try:
            conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=2)
            conn.login(self.user, self.password)
            conn.logout()
            return True
        except (OSError, imaplib.IMAP4.error):
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=5)
            self.process = None

    def remove(self) -> None:
        """Stops it and removes its directory (configuration, mail)."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- What the tests do to the mailbox, as a mail server delivering or a person looking would ---

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Puts a message into the folder (IMAP APPEND), as the mail server delivering it would."""
        conn = self.connect()
        try:
            typ, data = conn.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def messages(self, folder: str) -> list[bytes]:
        """The raw messages in a folder ([] if it does not exist)."""
        conn = self.connect()
        try:
            typ, _ = conn.select(folder, readonly=True)
            if typ != "OK":
                return []
            _typ, data = conn.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                _typ, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                found += [part[1] for part in parts if isinstance(part, tuple)]
            return found
        finally:
            conn.logout()


class CuttingProxy:
    """A TCP proxy to the server that drops the connection, both ways, the first time the client
    sends a command containing ``cut_on`` (before it reaches the server): a connection lost at a
    chosen point of a conversation, as a network or a restarted server loses it."""

    def __init__(self, target_port: int, *, cut_on: bytes):
        self.target_port = target_port
        self.cut_on = cut_on.upper()
        self.cut = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_client and not self.cut.is_set() and self.cut_on in data.upper():
                    self.cut.set()
                    for sock in (source, target):
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)
                    return
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.close()

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
