#!/usr/bin/env bash
# `npm test`: lint (includes the dependency rule), typecheck, then every test on both databases.
set -u
cd "$(dirname "$0")/.."
npx eslint . || exit 1
npx tsc --noEmit || exit 1
npx vitest run --reporter=default --reporter=json --outputFile=.test-results.json "$@"
rc=$?
node test/print-summary.mjs .test-results.json || rc=1
exit $rc
