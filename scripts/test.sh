#!/usr/bin/env bash
# Every test: type-check, build, unit and real-server tests (mocha).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit -p .
node esbuild.mjs
npx mocha
