#!/usr/bin/env bash
# The main job on the bundled example: check examples/zenops' frontend against its backend's OpenAPI document.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node esbuild.mjs
node dist/cli.js check --root examples/zenops || true
