#!/usr/bin/env bash
# Installs what the browser tests (e2e/) need besides the Python packages: Debian's Chromium.
# Idempotent: does nothing when /usr/bin/chromium is there. Playwright's own browser download
# (`playwright install`) cannot work on our machines, so the tests launch this one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need Chromium at $CHROMIUM, and it is not installed." >&2
  echo "Install it as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "The browser tests need Chromium at $CHROMIUM; install it with your system's package manager." >&2
  exit 1
fi
echo "Installing Chromium for the browser tests…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "apt-get installed chromium, but $CHROMIUM is still missing." >&2
  exit 1
fi
