#!/usr/bin/env bash
# Store and input failures, as a user meets them: each case runs one strata command and prints the
# exit code, the number of stderr lines and the first one, and whether the run directory changed.
# A case passes when the exit code is non-zero, stderr is exactly one line without a Java class
# name or control character, and (for store cases) no file in the run directory was created or
# changed. Usage: bench/store-input-failures.sh   (needs experiments/target/strata.jar)
set -uo pipefail
cd "$(dirname "$0")/.."
strata="$PWD/strata"
work="$(mktemp -d /tmp/strata-failures.XXXXXX)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
pass=0; fail=0

exp() { # a small valid experiment: hartmann6, 2 strategies x 1 seed, 6 trials
  cat <<'J'
{ "name": "NAME", "seed": 1, "objective": { "function": "hartmann6" },
  "search": { "strategies": ["random", "sobol"], "budget": { "trials": 6 }, "parallel": 1, "seeds": [1] } }
J
}

snapshot() { (cd "$1" 2>/dev/null && find . -type f -printf '%p %s %T@\n' | sort) | md5sum | cut -c1-8; }

# check NAME DIR_OR_EMPTY COMMAND...: run, then judge
check() {
  local name="$1" dir="$2"; shift 2
  local before after out code lines first ok=yes
  before="$( [ -n "$dir" ] && snapshot "$dir" )"
  out="$("$@" 2>&1 >/dev/null)"; code=$?
  after="$( [ -n "$dir" ] && snapshot "$dir" )"
  lines=$(printf '%s' "$out" | grep -c '')
  first="$(printf '%s' "$out" | head -1)"
  [ "$code" -ne 0 ] || ok=no
  [ "$lines" -eq 1 ] || ok=no
  printf '%s' "$out" | grep -qE '(Exception|Error)[:(]|^\s+at |\bjava\.' && ok=no
  printf '%s' "$out" | LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' && ok=no
  [ "$before" = "$after" ] || ok=no
  [ "$ok" = yes ] && pass=$((pass + 1)) || fail=$((fail + 1))
  printf '%-4s %-44s exit %-3s lines %-2s %s%s\n' "$ok" "$name" "$code" "$lines" "${first:0:150}" \
    "$([ "$before" = "$after" ] || echo ' [RUN DIRECTORY CHANGED]')"
}

make_run() { # make_run NAME: a finished run in $work/runs/NAME
  exp | sed "s/NAME/$1/" > "$work/$1.json"
  "$strata" run "$work/$1.json" --runs-dir "$work/runs" >/dev/null 2>&1 || echo "could not make run $1" >&2
}

echo "== damaged databases (resume, status, compare, report, export)"
for kind in zero-byte truncated garbage tableless scribbled; do
  make_run "d-$kind"; d="$work/runs/d-$kind"; db="$d/strata.db"
  case $kind in
    zero-byte) : > "$db" ;;
    truncated) truncate -s 8192 "$db" ;;
    garbage) head -c 200000 /dev/urandom > "$db" ;;
    tableless) rm -f "$db"; sqlite3 "$db" 'CREATE TABLE x(y)' 2>/dev/null || python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table x(y)'); c.commit()" "$db" ;;
    scribbled) python3 - "$db" <<'P'
import sys
f = open(sys.argv[1], 'r+b'); data = bytearray(f.read())
for page in range(1, len(data) // 4096):
    data[page * 4096 + 8: page * 4096 + 600] = bytes(592)
f.seek(0); f.write(data); f.close()
P
    ;;
  esac
  for cmd in resume status compare report; do
    check "$kind: $cmd" "$d" "$strata" $cmd "$d"
  done
done

echo "== read-only run directory (nothing may be created)"
make_run ro; chmod -R a-w "$work/runs/ro"
for cmd in status compare report; do
  before="$(snapshot "$work/runs/ro")"
  [ "$cmd" = report ] && extra=(--out "$work/report-ro") || extra=()
  if "$strata" $cmd "$work/runs/ro" "${extra[@]}" >/dev/null 2>&1 && [ "$before" = "$(snapshot "$work/runs/ro")" ] \
      && [ -z "$(ls "$work/runs/ro" | grep -e '-wal$' -e '-shm$')" ]; then
    pass=$((pass + 1)); echo "yes  read-only directory: $cmd exits 0 and creates nothing"
  else
    fail=$((fail + 1)); echo "no   read-only directory: $cmd failed or created a file"
  fi
done
chmod -R u+w "$work/runs/ro"

echo "== experiment files"
e() { printf '%s' "$2" > "$work/in-$1.json"; check "file: $1" "" "$strata" validate "$work/in-$1.json"; }
e empty ''
e nan '{"name": "x", "objective": {"function": "hartmann6"}, "search": {"budget": {"trials": NaN}}}'
e huge-trials '{"name": "x", "objective": {"function": "hartmann6"}, "search": {"strategies": ["random"], "budget": {"trials": 99999999999999999999999}}}'
python3 -c "print('[' * 1200 + ']' * 1200)" > "$work/in-deep.json"; check "file: nesting 1200 deep" "" "$strata" validate "$work/in-deep.json"
python3 -c "print('{\"name\": \"' + 'x' * 21000000 + '\"}')" > "$work/in-long.json"; check "file: 21 MB string" "" "$strata" validate "$work/in-long.json"
printf '{"name": "caf\xe9"}' > "$work/in-latin1.json"; check "file: Latin-1" "" "$strata" validate "$work/in-latin1.json"
printf '{"name": "\xc3\x28"}' > "$work/in-badutf8.json"; check "file: bad UTF-8" "" "$strata" validate "$work/in-badutf8.json"
printf '{"a": 1}' | iconv -t UTF-16 > "$work/in-utf16.json"; check "file: UTF-16" "" "$strata" validate "$work/in-utf16.json"
head -c 4000 /dev/urandom > "$work/in-binary.json"; check "file: binary" "" "$strata" validate "$work/in-binary.json"
exp | sed 's/NAME/bom/' | sed '1s/^/\xef\xbb\xbf/' > "$work/in-bom.json"
if "$strata" validate "$work/in-bom.json" >/dev/null 2>&1; then pass=$((pass + 1)); echo "yes  file: UTF-8 BOM accepted"; else fail=$((fail + 1)); echo "no   file: UTF-8 BOM refused"; fi

echo "== other"
: > "$work/plainfile"
exp | sed 's/NAME/o1/' > "$work/o1.json"
check "--runs-dir under a regular file" "" "$strata" run "$work/o1.json" --runs-dir "$work/plainfile/runs"
make_run held
# a run another process is writing: hold its writer lock as a live strata process does
python3 - "$work/runs/held/strata.lock" <<'P' &
import fcntl, sys, time
f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); time.sleep(30)
P
lockpid=$!; sleep 1
check "concurrent resume" "" "$strata" resume "$work/runs/held"
kill "$lockpid" 2>/dev/null; wait "$lockpid" 2>/dev/null

echo "== half-created run (killed during start-up): resume explains, run replaces"
mkdir -p "$work/runs/half"; : > "$work/runs/half/strata.db"; : > "$work/runs/half/strata.lock"
check "half-created: resume" "$work/runs/half" "$strata" resume "$work/runs/half"
exp | sed 's/NAME/half/' > "$work/half.json"
if "$strata" run "$work/half.json" --runs-dir "$work/runs" >/dev/null 2>&1; then pass=$((pass + 1)); echo "yes  half-created: run replaces it and finishes"; else fail=$((fail + 1)); echo "no   half-created: run refused"; fi

echo "== launcher: the JVM's incubator warning is filtered"
if "$strata" --version 2>&1 | grep -q "incubator"; then fail=$((fail + 1)); echo "no   incubator warning shown"; else pass=$((pass + 1)); echo "yes  no incubator warning"; fi

echo "RESULT: $pass pass, $fail fail"
