#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root, package registries only):
# Debian packages the tests and writers use, uv, and the project's locked Python environment.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk poppler-utils chromium libreoffice-writer-nogui)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "setup: installing uv"
  python3 -m pip install --quiet uv
fi
python3 -m uv sync --frozen --quiet
