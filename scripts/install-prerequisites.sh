#!/usr/bin/env bash
# Makes TorchSharp's native library loadable on this machine.
#
# TorchSharp 0.107.0's native shim (libLibTorchSharp.so) is linked against
# libstdc++ from GCC 13 and needs the symbol version GLIBCXX_3.4.32. Debian 12
# ships GLIBCXX_3.4.30, so loading fails with "version GLIBCXX_3.4.32 not found".
# On Debian 12 this script installs Debian 13's libstdc++6 (and only what it
# pulls in) from the same mirror the machine already uses. Everywhere the
# library is already new enough it does nothing.
#
# Idempotent: safe to run any number of times.
set -euo pipefail

readonly required="GLIBCXX_3.4.32"

find_libstdcxx() {
  local candidate
  for candidate in \
      /usr/lib/x86_64-linux-gnu/libstdc++.so.6 \
      /usr/lib/aarch64-linux-gnu/libstdc++.so.6 \
      /usr/lib64/libstdc++.so.6 \
      /usr/lib/libstdc++.so.6; do
    if [[ -e "$candidate" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_required_symbol() {
  local lib
  lib="$(find_libstdcxx)"
  [[ -n "$lib" ]] || return 1
  # grep -a reads the binary's version strings without needing binutils.
  grep -aq "$required" "$lib"
}

if has_required_symbol; then
  echo "prerequisites: libstdc++ provides $required; nothing to do."
  exit 0
fi

os_id=""
os_version=""
if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  os_id="${ID:-}"
  os_version="${VERSION_ID:-}"
fi

if [[ "$os_id" != "debian" || "$os_version" != "12" ]]; then
  cat >&2 <<MSG
prerequisites: libstdc++ on this system lacks $required, which TorchSharp's
native library needs, and this script only knows how to fix that on Debian 12.
Install libstdc++ from GCC 13 or newer with your system's package manager
(for example Ubuntu 24.04+, Debian 13+ and Fedora 39+ already have it), then
run this script again to confirm.
MSG
  exit 1
fi

if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --preserve-env=DEBIAN_FRONTEND "$0" "$@"
  fi
  echo "prerequisites: installing libstdc++6 from Debian 13 needs root (run with sudo)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Reuse the Debian mirror this machine is already configured with.
mirror=""
for source_file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  [[ -r "$source_file" ]] || continue
  # deb822 "URIs:" lines and one-line "deb URI suite" entries; comments are skipped.
  mirror="$(grep -E '^[[:space:]]*(URIs:|deb[[:space:]])' "$source_file" \
    | grep -Eo 'https?://[^[:space:]]+' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)"
  [[ -n "$mirror" ]] && break
done
mirror="${mirror%/}"
if [[ -z "$mirror" ]]; then
  echo "prerequisites: could not find the Debian mirror in /etc/apt/sources.list(.d); add the 'trixie' suite by hand and install libstdc++6 from it." >&2
  exit 1
fi

trixie_list=/etc/apt/sources.list.d/dspib-trixie.sources
pin_file=/etc/apt/preferences.d/dspib-trixie.pref
echo "prerequisites: adding Debian 13 (trixie) from $mirror with a low pin priority"
cat > "$trixie_list" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
# Priority 100: nothing else is upgraded from trixie unless asked for by name.
cat > "$pin_file" <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN

apt-get update -o Dir::Etc::sourcelist="$trixie_list" -o Dir::Etc::sourceparts="-" -o APT::Get::List-Cleanup="0" >/dev/null
apt-get update >/dev/null
apt-get install -y --no-install-recommends -t trixie libstdc++6

if has_required_symbol; then
  echo "prerequisites: libstdc++ now provides $required."
else
  echo "prerequisites: libstdc++6 from trixie was installed but $required is still missing." >&2
  exit 1
fi
