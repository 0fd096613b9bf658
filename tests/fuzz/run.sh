#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SECONDS [TARGET]]: build the libFuzzer targets (clang, ASan +
# UBSan, leak checks on) over the pure PVH core and run each for SECONDS
# (default 60), starting from the committed seed corpus; PVH_FUZZ_LANES
# (default 1) of them at a time.  TARGET (fuzz-elf, ...) runs one only.
# New inputs go to build/fuzz/corpus-<target>, never into the
# repository.  Prints one line per target, in the list's order:
# "ok fuzz-X: N execs, corpus M" or "FAIL ...".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
out=${PVH_FUZZ_OUT:-$root/build/fuzz}
mkdir -p "$out"
flags=(-g -O1 -Wall -Werror -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=all
       -I"$root/tests/unit/shim" -I"$root/include" -I"$root/hw/i386/pvh"
       $(pkg-config --cflags glib-2.0))
core=("$root"/hw/i386/pvh/{pvh-elf,layout,table-loader,smbios-anchor,cpu-state,vga-text,linux-header}.c)
targets=(fuzz-elf fuzz-layout fuzz-acpi fuzz-linux)
if [ -z "${2:-}" ]; then
    jobs=$(mktemp)
    trap 'rm -f "$jobs"' EXIT
    for t in "${targets[@]}"; do
        printf 'bash %q %q %q\n' "$here/run.sh" "$secs" "$t" >>"$jobs"
    done
    bash "$here/../lanes.sh" "${PVH_FUZZ_LANES:-1}" "$jobs" | tee "$jobs.out"
    ! grep -q '^FAIL' "$jobs.out"
    status=$?
    rm -f "$jobs.out"
    exit $status
fi
status=0
for t in "$2"; do
    if ! clang "${flags[@]}" "$here/$t.c" "${core[@]}" \
            $(pkg-config --libs glib-2.0) -o "$out/$t" 2>"$out/$t.build.log"; then
        echo "FAIL $t: build failed"; cat "$out/$t.build.log"; status=1; continue
    fi
    mkdir -p "$out/corpus-$t"
    rc=0
    (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "./$t" -max_total_time="$secs" \
        -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 \
        "corpus-$t" "$here/seeds/$t" >"$t.log" 2>&1) || rc=$?
    execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$out/$t.log")
    if [ "$rc" != 0 ]; then
        echo "FAIL $t: exit $rc after ${execs:-?} execs"
        grep -m5 -E 'ERROR|SUMMARY|runtime error' "$out/$t.log"
        status=1
    else
        echo "ok $t: ${execs:-?} execs in ${secs}s, corpus $(ls "$out/corpus-$t" | wc -l)"
    fi
done
exit $status
