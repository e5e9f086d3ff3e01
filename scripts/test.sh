#!/usr/bin/env bash
# Every test: type-check, build, unit and real-server tests (mocha), then the suite in a real VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit -p .
node esbuild.mjs
npx mocha
npm run test:integration
