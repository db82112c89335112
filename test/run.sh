#!/usr/bin/env bash
# `npm test`: lint (includes the dependency rule), typecheck, then every test — pure tests once,
# database tests on PGlite and on PostgreSQL. Ends with "tests: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
npx eslint . || exit 1
npx tsc --noEmit || exit 1
exec npx vitest run --reporter=default --reporter=./test/summary-reporter.ts "$@"
