#!/usr/bin/env bash
# The main job on the bundled example: check examples/zenops' frontend against its backend's OpenAPI
# document, then serve the example in a real VS Code (code-server) with the packaged extension, beside
# the example's live backend, Prometheus and a Loki stand-in. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node esbuild.mjs

echo "== zenops check examples/zenops =="
node dist/cli.js check --root examples/zenops || true
echo

if [ "${1:-}" = "--check-only" ]; then exit 0; fi

STACK_LOG="$(mktemp "${TMPDIR:-/tmp}/zenops-demo-stack-XXXXXX.log")"
setsid npx tsx scripts/demo-stack.ts >"$STACK_LOG" 2>&1 &
STACK_PID=$!
trap 'trap "" INT TERM; kill -TERM -- "-$STACK_PID" 2>/dev/null || true; rm -f "$STACK_LOG"' EXIT
for _ in $(seq 1 60); do
  grep -q 'demo-stack: READY' "$STACK_LOG" && break
  if ! kill -0 "$STACK_PID" 2>/dev/null; then cat "$STACK_LOG" >&2; exit 1; fi
  sleep 1
done
grep 'demo-stack: API' "$STACK_LOG" || { cat "$STACK_LOG" >&2; exit 1; }

bash scripts/serve-vscode.sh examples/zenops
