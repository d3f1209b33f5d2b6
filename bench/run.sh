#!/usr/bin/env bash
# The benchmark (default) or the soak test (--soak N). Builds the bot in Release first.
#   bench/run.sh --out BENCHMARKS.md      writes the results table
#   bench/run.sh --requests 8 --warmup 5  smoke run: the harness works end to end (figures are noise)
#   bench/run.sh --soak 60000             exits non-zero if a reply is invalid or memory grows
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/SessionBot -v quiet -nologo
dotnet run -c Release --project bench/SessionBot.Bench -- "$@"
