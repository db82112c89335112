#!/usr/bin/env bash
# `npm test`: bring up (or name) what the tests talk to, then lint (includes the dependency rule),
# typecheck, build the CLI when a source is newer, and run every test — pure tests once, database
# tests on PGlite and on PostgreSQL. Ends with "tests: N passed, N failed, N skipped; files failed: N; uncaught errors: N".
set -u
cd "$(dirname "$0")/.."
bash test/prerequisites.sh || exit 1
npx eslint . || exit 1
npx tsc --noEmit || exit 1
# The CLI tests run `rapport` as users do (bin/rapport.js): from the compiled build, made current here.
node scripts/build.js --if-stale || exit 1
exec npx vitest run --reporter=default --reporter=./test/summary-reporter.ts "$@"
