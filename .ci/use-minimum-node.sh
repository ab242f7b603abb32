# Sourced by .ci/run: puts the exact minimum Node.js of package.json's engines
# field (">=22.13" means 22.13.0) first on PATH, fetching it once into a cache.
minimum=$(sed -n 's/.*"node": *">= *\([0-9][0-9.]*\)".*/\1/p' package.json | head -n 1)
case "$minimum" in
  *.*.*) ;;
  *.*) minimum="$minimum.0" ;;
  *) minimum="$minimum.0.0" ;;
esac
if [ "$(node --version 2>/dev/null)" != "v$minimum" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "No Node.js $minimum package for $(uname -m); using $(node --version)"; arch="" ;;
  esac
  if [ -n "$arch" ]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/wafer-ci/node-$minimum-linux-$arch"
    if [ ! -x "$cache/bin/node" ]; then
      echo "Fetching Node.js $minimum (node-linux-$arch from the npm registry)…"
      tmp=$(mktemp -d)
      (cd "$tmp" && npm pack --silent "node-linux-$arch@$minimum" >/dev/null)
      mkdir -p "$cache"
      tar -xzf "$tmp"/node-linux-"$arch"-"$minimum".tgz -C "$cache" --strip-components=1 package/bin/node
      rm -rf "$tmp"
    fi
    export PATH="$cache/bin:$PATH"
  fi
fi
echo "Node.js $(node --version), npm $(npm --version)"
