#!/usr/bin/env bash
# Makes sure a Debian/Ubuntu package's program is installed, for tests that need a tool
# outside npm (the Neovim LSP test needs `nvim`).
#
#   scripts/ensure-apt.sh PACKAGE [BINARY]
#
# Idempotent: when BINARY (default: the package's usual program, e.g. neovim -> nvim) is
# already on PATH, it does nothing. Otherwise it runs `apt-get install -y PACKAGE`, after
# `apt-get update` when the install fails for a stale or empty package index, as root or
# through `sudo -n` (never prompts). Exit 0 when the binary is available afterwards; 1 with
# one line on stderr saying why not.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/ensure-apt.sh PACKAGE [BINARY]" >&2
  exit 2
fi
package="$1"
case "$package" in
  neovim) default_binary=nvim ;;
  *) default_binary="$package" ;;
esac
binary="${2:-$default_binary}"

if command -v "$binary" >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "ensure-apt: cannot install $package ($binary): $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available on this system"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not root and no password-less sudo"
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  # Another apt run (a parallel job, unattended-upgrades) holds the lock: wait for it.
  "${as_root[@]}" apt-get install -y --no-install-recommends -q \
    -o DPkg::Lock::Timeout=300 "$package" >&2
}

if ! apt_install; then
  echo "ensure-apt: install failed; running apt-get update and retrying" >&2
  "${as_root[@]}" apt-get update -q -o DPkg::Lock::Timeout=300 >&2 || fail "apt-get update failed"
  apt_install || fail "apt-get install -y $package failed"
fi

command -v "$binary" >/dev/null 2>&1 || fail "installed, but '$binary' is still not on PATH"
echo "ensure-apt: installed $package ($("$binary" --version 2>/dev/null | head -n 1 || true))" >&2
