#!/usr/bin/env bash
# Build the generated Node.js SDK into sdk/nodejs/bin, an npm package a TypeScript program
# installs with `npm install <checkout>/sdk/nodejs/bin`. Needs Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")/../sdk/nodejs"
echo "==> npm install (sdk/nodejs)" >&2
npm install --no-audit --no-fund --loglevel=error
echo "==> tsc" >&2
rm -rf bin
npx tsc
cp package.json README.md bin/
echo "$PWD/bin" 
