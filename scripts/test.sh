#!/usr/bin/env bash
# The one test command (`npm test`): typecheck, lint and format checks, a build (the compat tests start
# the broker the way a user does, from dist/), then every vitest project: unit tests beside the code and
# compat-tests, real clients and Kafka's own artefacts against a live Samsa. The compat clients are
# installed first if missing (scripts/setup-compat.sh; seconds when they are there). Each check counts
# as one test. The last line is the summary "tests: N passed, N failed, N skipped"; the exit code is non-zero
# when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache

passed=0
failed=0
skipped=0
failures=''

check() {
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "== $name FAILED"
    failures+="failed: $name"$'\n'
  fi
}

check compat-clients bash scripts/setup-compat.sh
check typecheck npx tsc -p tsconfig.json --noEmit
check build npm run -s build
check lint npx eslint .
check format npx prettier --check .

# Runs one vitest project and adds its counts. A run that fails without failed tests (a suite that
# could not load, a worker that died) still counts as one failure.
vitest_project() {
  local project=$1
  shift
  local report=.cache/vitest-$project.json
  rm -f "$report"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$report" "$@"
  local status=$?
  if [ -s "$report" ]; then
    # Counts, then each failed test by name (kept for the end of the output, where a CI log's tail is
    # read). A file that failed outside its tests (a beforeAll hook that threw: vitest then reports its
    # tests as skipped) counts as one failure, named with the first line of its error.
    local counts p f s names
    counts=$(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      let failed = r.numFailedTests;
      const names = [];
      for (const f of r.testResults) {
        const file = f.name.replace(process.cwd() + "/", "");
        const own = f.assertionResults.filter((a) => a.status === "failed");
        for (const a of own) names.push(`failed: ${file} > ${a.fullName}`);
        if (f.status === "failed" && own.length === 0) {
          failed += 1;
          const why = f.message ? f.message.split("\n")[0].slice(0, 300) : "a hook threw; its error is printed above";
          names.push(`failed: ${file} (outside its tests: ${why})`);
        }
      }
      console.log(r.numPassedTests, failed, r.numPendingTests + r.numTodoTests);
      for (const n of names) console.log(n);
    ' "$report")
    read -r p f s <<<"$(head -n 1 <<<"$counts")"
    names=$(tail -n +2 <<<"$counts")
    [ -z "$names" ] || failures+="$names"$'\n'
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
      failed=$((failed + 1))
      failures+="failed: vitest $project (exit $status without a failed test)"$'\n'
    fi
  else
    echo "== vitest ($project) wrote no report (exit $status)"
    failed=$((failed + 1))
    failures+="failed: vitest $project (no report, exit $status)"$'\n'
  fi
}

vitest_project unit "$@"
# One broker and one client at a time: on two cores, parallel runs starve each other.
vitest_project compat --maxWorkers=1 --minWorkers=1 "$@"

printf '%s' "$failures"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
