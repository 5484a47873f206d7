#!/usr/bin/env bash
# Behaviour before and after a change: imports the fixture (and, with --set DIR, a bench data set)
# with two builds of the CLI, on SQLite and on MariaDB, and compares byte for byte what each
# prints: the import summary, the report CSV, the board (status --json) and the events (without
# their created_at, the wall-clock time of recording).
#
#   bash scripts/compare-builds.sh OLD_DIST [NEW_DIST] [--set DIR]
#
# OLD_DIST/NEW_DIST: a built dist/ folder (NEW_DIST defaults to ./dist), e.g. one built from an
# older commit with `git worktree add /tmp/old <commit> && (cd /tmp/old && npm ci)`.
# MariaDB is MYSQL_URL (default mysql://root@127.0.0.1:3306); its databases sm_compare_* are
# dropped after. Exits 1 when anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
old="${1:?usage: compare-builds.sh OLD_DIST [NEW_DIST] [--set DIR]}"
shift
new=dist
if [[ $# -gt 0 && "$1" != --set ]]; then new="$1"; shift; fi
sets=(test/fixtures/dst-spring-2023)
if [[ $# -gt 0 ]]; then [[ "$1" == --set && $# -eq 2 ]] || { echo "usage: compare-builds.sh OLD_DIST [NEW_DIST] [--set DIR]" >&2; exit 2; }; sets+=("$2"); fi
mysql_url="${MYSQL_URL:-mysql://root@127.0.0.1:3306}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

drop_database() { # name
  node -e "require('mysql2/promise').createConnection(process.argv[1]).then(async (c) => { await c.query('DROP DATABASE IF EXISTS ' + process.argv[2]); await c.end(); })" "$mysql_url" "$1"
}

run() { # build set-dir db-url prefix
  local dist="$1" set="$2" url="$3" at="$4"
  DATABASE_URL="$url" node "$dist/src/cli.js" import --polls "$set/store_status.csv" \
    --business-hours "$set/menu_hours.csv" --timezones "$set/timezones.csv" > "$at.import.json"
  DATABASE_URL="$url" node "$dist/src/cli.js" report --out "$at.csv" 2> /dev/null
  DATABASE_URL="$url" node "$dist/src/cli.js" status --json > "$at.status.json"
  DATABASE_URL="$url" node "$dist/src/cli.js" events --limit 500 | grep -v '"created_at"' > "$at.events.json"
}

differs=0
for set in "${sets[@]}"; do
  name="$(basename "$set")"
  for db in sqlite mysql; do
    for build in old new; do
      dist="$old"; [[ $build == new ]] && dist="$new"
      if [[ $db == sqlite ]]; then
        url="sqlite:$out/$name-$build.db"
      else
        database="sm_compare_${build}"
        drop_database "$database"
        url="$mysql_url/$database"
      fi
      run "$dist" "$set" "$url" "$out/$name-$build-$db"
    done
    for kind in import.json csv status.json events.json; do
      if cmp -s "$out/$name-old-$db.$kind" "$out/$name-new-$db.$kind"; then
        echo "same:    $name, $db, $kind ($(wc -c < "$out/$name-new-$db.$kind") bytes)"
      else
        echo "DIFFERS: $name, $db, $kind"
        differs=1
      fi
    done
  done
done
for build in old new; do
  drop_database "sm_compare_${build}"
done
exit $differs
