#!/usr/bin/env bash
# Installs what ZenOps' build, demo and tests need on a fresh Debian machine. Safe to run again:
# it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(prometheus prometheus-alertmanager python3-fastapi python3-uvicorn python3-prometheus-client chromium libkrb5-dev)
missing=()
for pkg in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# A real VS Code for the integration suite and the demo: code-server + Node 24, once per machine, cached
# outside the repository (ZENOPS_CACHE, default ~/.cache/zenops). 2-4 minutes the first time.
bash scripts/install-vscode-test-deps.sh >/dev/null
