#!/usr/bin/env bash
# What the LAN-discovery tests need beyond the build: avahi-daemon (the tests start it only
# inside a network namespace of their own), avahi-utils (avahi-browse), dbus, curl (requests from
# inside the namespace), and python-zeroconf (an independent DNS-SD implementation to cross-check with).
set -euo pipefail
packages=(avahi-daemon avahi-utils dbus curl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing test packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  # Never let a package start avahi-daemon (or anything) in this, the machine's, network namespace.
  policy=/usr/sbin/policy-rc.d
  created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created=1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
  [ -n "$created" ] && $sudo rm -f "$policy"
  [ "${status:-0}" = 0 ] || exit "$status"
fi
python3 -c 'import zeroconf' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check zeroconf
