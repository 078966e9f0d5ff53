#!/usr/bin/env bash
# Builds the mirage4j VS Code extension (mirage4j.vsix) with the language server jar inside.
#
#   editors/vscode/build.sh            # uses dsl-ide/target/*-ls.jar, building it with Maven if missing
#   editors/vscode/build.sh --rebuild  # rebuilds the jar first
#   MIRAGE4J_LS_JAR=/path/to.jar editors/vscode/build.sh
#
# Needs Java 17 and Maven (through ./mvnw) for the jar, Node.js 20 and npm for the extension;
# the npm packages come from the npm registry (npm ci, from package-lock.json).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

jar="${MIRAGE4J_LS_JAR:-}"
if [[ -z "$jar" ]]; then
  if [[ "${1:-}" == "--rebuild" ]] || ! ls "$repo"/dsl-ide/target/mirage4j-dsl-ide-*-ls.jar >/dev/null 2>&1; then
    (cd "$repo" && ./mvnw -q -B -pl dsl,dsl-ide -am install -DskipTests)
  fi
  jar="$(ls -t "$repo"/dsl-ide/target/mirage4j-dsl-ide-*-ls.jar | head -n 1)"
fi
[[ -f "$jar" ]] || { echo "build.sh: no language server jar at $jar" >&2; exit 1; }

mkdir -p "$here/server"
cp "$jar" "$here/server/mirage4j-ls.jar"

cd "$here"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
npm run --silent check
npm test
npx --no-install vsce package --skip-license --out mirage4j.vsix
echo "built $here/mirage4j.vsix (install: code --install-extension $here/mirage4j.vsix)"
