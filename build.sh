#!/usr/bin/env bash
# Restores the pinned Cake tool and runs build.cake; arguments go to Cake, e.g. ./build.sh --target=Test
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore
dotnet cake "$@"
