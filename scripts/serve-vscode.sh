#!/usr/bin/env bash
# Serves a real VS Code in the browser (code-server) with the packaged ZenOps extension installed, on a folder.
# Usage: scripts/serve-vscode.sh [FOLDER]   (default examples/zenops; PORT=8080 by default; Ctrl-C stops it)
# Loopback only and without a password: never expose this port beyond the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
FOLDER="$(cd "${1:-examples/zenops}" && pwd)"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "serve-vscode: something already listens on 127.0.0.1:$PORT; choose another port: PORT=8081 $0" >&2
  exit 1
fi

INSTALL="$(bash scripts/install-vscode-test-deps.sh | tail -n 1)"
export PATH="$INSTALL/node/bin:$PATH"
CODE_SERVER="$INSTALL/code-server/bin/code-server"

echo "serve-vscode: packaging the extension" >&2
npm run --silent package >/dev/null
VERSION="$(node -p "require('./package.json').version")"
VSIX="$PWD/zenops-$VERSION.vsix"

# A fresh profile per run, so the demo always shows the just-built extension and nothing else.
DATA="$(mktemp -d "${TMPDIR:-/tmp}/zenops-serve-XXXXXX")"
SERVER_PID=""
cleanup() {
  # Ctrl-C reaches every process of the terminal's group, and npm passes it on once more: a second signal must not
  # cut the clean-up short and leave code-server serving.
  trap '' INT TERM
  if [ -n "$SERVER_PID" ]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'echo; echo "serve-vscode: stopping" >&2; exit 0' INT TERM

mkdir -p "$DATA/ud/User" "$DATA/ext"
cat > "$DATA/ud/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never"
}
EOF
COMMON=(--config "$DATA/config.yaml" --user-data-dir "$DATA/ud" --extensions-dir "$DATA/ext")
# code-server keeps logs under XDG_DATA_HOME whatever --user-data-dir says: keep them in the throwaway profile too.
export XDG_DATA_HOME="$DATA/xdg-data"
"$CODE_SERVER" "${COMMON[@]}" --install-extension "$VSIX" >/dev/null

# Its own process group (setsid), so stopping kills the server and every extension host it started.
setsid "$CODE_SERVER" "${COMMON[@]}" --auth none --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$FOLDER" >"$DATA/code-server.log" 2>&1 &
SERVER_PID=$!

if ! node -e '
  const url = process.argv[1];
  const deadline = Date.now() + 30000;
  (async () => {
    while (Date.now() < deadline) {
      try { if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) process.exit(0); } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    process.exit(1);
  })();' "http://127.0.0.1:$PORT/healthz"; then
  echo "serve-vscode: code-server did not start; its log:" >&2
  cat "$DATA/code-server.log" >&2
  exit 1
fi

echo "ZenOps $VERSION in VS Code (code-server), serving $FOLDER"
echo "Open: http://127.0.0.1:$PORT/?folder=$FOLDER"
echo "Ctrl-C stops it."
wait "$SERVER_PID"
