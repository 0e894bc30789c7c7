#!/usr/bin/env bash
# Installs whatever is missing on a Debian machine: Debian packages, the Temporal CLI, npm packages.
#   bash scripts/setup.sh run    # what the platform needs
#   bash scripts/setup.sh test   # plus what the test suite needs (MariaDB, Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# python3-uno: the warm Word → PDF converter drives LibreOffice through it (integrations/office/uno-bridge.py).
# The Chinese font aliases (宋体/仿宋/楷体 → Noto Serif CJK SC, 黑体/微软雅黑 → Noto Sans CJK SC) are not installed
# system-wide: integrations/office/fonts.conf is given to the LibreOffice processes as FONTCONFIG_FILE.
packages=(libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils libnss3-tools qpdf)
[ "$mode" = test ] && packages+=(mariadb-server chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Temporal CLI (dev server). Not on npm or Debian: built from its Go module, kept outside the checkout.
source scripts/lib/temporal-bin.sh
if ! temporal_bin >/dev/null; then
  echo "[setup] building the Temporal CLI (go install github.com/temporalio/cli/cmd/temporal@v1.5.1)"
  command -v go >/dev/null || { echo "[setup] Go is required to build the Temporal CLI" >&2; exit 1; }
  go install github.com/temporalio/cli/cmd/temporal@v1.5.1
fi
echo "[setup] temporal: $(temporal_bin)"

# npm packages, when package-lock.json changed since the last install. `npm install` (not `npm ci`):
# vite lists a Windows-only optional dependency the registry here does not serve, which `npm ci`
# refuses as "lock file out of sync" while `npm install` skips it; the lock file still pins versions.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm packages"
  npm install --no-audit --no-fund --loglevel=error
fi
