#!/usr/bin/env bash
# Regenerates the corpus of hostile inputs (test/fixtures/hostile/README.md): runs every
# <corpus>/<area>/make.mjs, each of which writes its files into its own folder, the same bytes on every
# run. Commit the script and what it writes together; test/unit/fixtures/hostile-corpus.test.ts fails
# when they drift apart. Usage: scripts/make-hostile-corpus.sh [corpus folder, default test/fixtures/hostile]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-test/fixtures/hostile}"
shopt -s nullglob
scripts=("$corpus"/*/make.mjs)
if [ "${#scripts[@]}" -eq 0 ]; then
  echo "make-hostile-corpus: no $corpus/<area>/make.mjs to run" >&2
  exit 1
fi
for script in "${scripts[@]}"; do
  echo "make-hostile-corpus: $script"
  node "$script"
done
