#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root, package registries only):
# Debian packages the tests and writers use, uv, and the project's locked Python environment.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-liberation2: Liberation Serif, metric-compatible with the Times New Roman the DOCX/PDF writers set
# digits in; fonts-noto-cjk: the 宋体/仿宋/黑体 substitutes (scripts/fontconfig maps the names to them).
packages=(fonts-noto-cjk fonts-liberation2 fontconfig poppler-utils chromium libreoffice-writer-nogui)
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
conf=/etc/fonts/conf.d/65-gongkai-official-fonts.conf
if ! cmp -s scripts/fontconfig/65-gongkai-official-fonts.conf "$conf" 2>/dev/null; then
  echo "setup: installing the fontconfig aliases of the official-document fonts ($conf)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO install -m 644 scripts/fontconfig/65-gongkai-official-fonts.conf "$conf"
  fc-cache -f >/dev/null 2>&1 || true
fi

python3 -m uv sync --frozen --quiet
