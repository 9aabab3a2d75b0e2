#!/usr/bin/env bash
# Installs the system packages CloudCare Edge builds against (Debian/Ubuntu), and any packages
# named as arguments (`make bench` adds wrk, its HTTP load generator), if missing.
# A production node also runs avahi-daemon (LAN discovery): install it there with
#   apt-get install avahi-daemon
# It is deliberately not installed here, so building and testing never starts a multicast daemon.
set -euo pipefail
packages=(libsqlite3-dev libssl-dev libcurl4-openssl-dev libavahi-compat-libdnssd-dev zlib1g-dev "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
