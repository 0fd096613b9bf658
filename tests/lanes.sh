#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lanes.sh N FILE: run FILE's lines, one shell command each, N at a time.
# Each command's output (stdout and stderr) is printed whole, in FILE's
# order, as soon as it and every command before it have ended; an "ok"
# or "FAIL" line that ends a command's output gets its time appended,
# "(N s)".  A command that exits with a failure status without printing
# a FAIL line gets one.  The commands must not share files, ports or
# sockets: each test script here works in its own mktemp directory.
#
# Why: most checks of the boot group run one TCG vCPU and leave the
# second core of a CI machine idle; two lanes use it, and on a loaded
# machine the second lane still gets the share of the core it finds.
set -uo pipefail
lanes=$1 file=$2
[ "$lanes" -ge 1 ] 2>/dev/null || lanes=1
out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
mapfile -t cmds < "$file"
next=0
flush() {  # print every finished command whose predecessors are printed
    while [ "$next" -lt "${#cmds[@]}" ] && [ -e "$out/$next.time" ]; do
        awk -v t="$(cat "$out/$next.time")" '
            NR > 1 { print prev }
            { prev = $0 }
            END {
                if (NR == 0) exit
                if (prev ~ /^(ok|FAIL) /) prev = prev " (" t " s)"
                print prev
            }' "$out/$next.out"
        next=$((next + 1))
    done
}
for i in "${!cmds[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$lanes" ]; do
        wait -n 2>/dev/null || true
        flush
    done
    (
        start=$SECONDS
        bash -c "${cmds[$i]}" >"$out/$i.out" 2>&1 </dev/null
        rc=$?
        # A check that ends in failure must say so: one that crashed
        # (a Python traceback) printed no FAIL line and was not counted
        [ "$rc" = 0 ] || grep -q '^FAIL' "$out/$i.out" ||
            echo "FAIL ${cmds[$i]:0:120}: exit status $rc, no FAIL line" >>"$out/$i.out"
        echo $((SECONDS - start)) >"$out/$i.time.tmp"
        mv "$out/$i.time.tmp" "$out/$i.time"
    ) &
done
while [ -n "$(jobs -rp)" ]; do
    wait -n 2>/dev/null || true
    flush
done
wait
flush
