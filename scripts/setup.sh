#!/usr/bin/env bash
# One-command set-up on a fresh Debian/Ubuntu machine: system packages (Gmsh when none is found, the Python
# packages the worker emulator and the benchmarks use, Netgen for the netgen attempt, Chromium for the browser tests,
# CalculiX and OpenFOAM for the export tests), npm packages, the build.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v gmsh >/dev/null 2>&1 || [ -n "${MESHBENCH_GMSH:-}" ] || need+=(gmsh)
for p in python3-gmsh python3-netgen python3-meshio python3-numpy python3-fastapi python3-uvicorn python3-boto3 chromium calculix-ccx openfoam; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
  else
    echo "setup: please install: ${need[*]}" >&2
  fi
fi

# The Electron binary is fetched only where it can be; everything else works without it.
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
npm ci --no-audit --no-fund
npm run build
