#!/usr/bin/env bash
# Installs what the reply-mailbox tests (meetings/tests/test_itip_imap.py) need besides the Python
# packages: Debian's Dovecot IMAP server, which the tests start on a local port with a throw-away
# configuration (kumppanuus/testing/imap.py). Idempotent: does nothing when dovecot is there.
set -euo pipefail

DOVECOT=/usr/sbin/dovecot

if [ -x "$DOVECOT" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The reply-mailbox tests need Dovecot at $DOVECOT, and it is not installed." >&2
  echo "Install it as root: apt-get update && apt-get install -y dovecot-imapd" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "The reply-mailbox tests need Dovecot at $DOVECOT; install it with your system's package manager." >&2
  exit 1
fi
echo "Installing Dovecot for the reply-mailbox tests…"
apt-get update -qq
# The package's own service is not needed: the tests start their own server on a spare port.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
if [ ! -x "$DOVECOT" ]; then
  echo "apt-get installed dovecot-imapd, but $DOVECOT is still missing." >&2
  exit 1
fi
