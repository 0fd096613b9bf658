#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-malformed.sh QEMU: every case of gen-malformed.py must make QEMU
# exit with status 1 within 5 s, printing exactly one line on stderr that
# names the file and contains the expected defect; every well-formed
# oddity must boot.  Prints one line per
# case ("ok ..." or "FAIL ...") and exits non-zero if any failed.
set -uo pipefail
qemu=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$here/gen-malformed.py" "$dir"
failed=0
while IFS='|' read -r name file extra expect; do
    # shellcheck disable=SC2086
    timeout 5 "$qemu" -M pc -m 128M -display none -no-user-config \
        -accel tcg -kernel "$file" $extra >"$dir/out" 2>"$dir/err" </dev/null
    rc=$?
    # A sanitizer build of QEMU adds this warning to every run
    sed -i '/^==[0-9]*==WARNING: ASan doesn.t fully support makecontext/d' "$dir/err"
    lines=$(wc -l < "$dir/err")
    err=$(cat "$dir/err")
    why=
    if [ "$rc" != 1 ]; then why="exit status $rc"
    elif [ "$lines" != 1 ]; then why="$lines lines on stderr"
    elif [[ "$err" != *"$file"* && "$err" != *"'${extra##* }'"* &&
            "$err" != *"'${extra##*,}'"* && "$err" != *" ${extra##* }: "* ]]; then
        why="message does not name the file"
    elif [[ "$err" != *"$expect"* ]]; then why="message lacks '$expect'"
    fi
    if [ -n "$why" ]; then
        echo "FAIL malformed/$name: $why: $err"
        failed=$((failed + 1))
    else
        echo "ok malformed/$name: $err"
    fi
done < "$dir/cases.tsv"
# Well-formed oddities: each boots, and its first instruction exits
while IFS='|' read -r name file extra; do
    # shellcheck disable=SC2086
    timeout 5 "$qemu" -M pc -m 128M -display none -no-user-config \
        -accel tcg -kernel "$file" -device isa-debug-exit,iobase=0xf4,iosize=4 \
        $extra >"$dir/out" 2>"$dir/err" </dev/null
    rc=$?
    sed -i '/^==[0-9]*==WARNING: ASan doesn.t fully support makecontext/d' "$dir/err"
    if [ "$rc" = 1 ] && [ ! -s "$dir/err" ]; then
        echo "ok oddity/$name: boots"
    else
        echo "FAIL oddity/$name: exit status $rc (expected 1): $(head -c 300 "$dir/err")"
        failed=$((failed + 1))
    fi
done < "$dir/oddities.txt"
# A confidential guest on pvh-direct=auto takes the firmware path (the
# direct loader's trace point stays silent); under TCG the accelerator
# then refuses SEV, after the kernel was loaded.  Without SEV, the same
# command line boots directly (the trace point fires).
conf=(-m 128M -display none -no-user-config -accel tcg -kernel "$dir/odd-elf32.elf"
      -trace pvh_direct_kernel -object sev-guest,id=cg0,cbitpos=47,reduced-phys-bits=1)
timeout 5 "$qemu" -M pc "${conf[@]}" -device isa-debug-exit,iobase=0xf4,iosize=4 \
    >"$dir/out" 2>"$dir/err0" </dev/null
timeout 5 "$qemu" -M pc,confidential-guest-support=cg0 "${conf[@]}" \
    >"$dir/out" 2>"$dir/err" </dev/null
rc=$?
if [ "$rc" = 1 ] && grep -q 'accelerator does not support confidential guest sev-guest' "$dir/err" &&
   ! grep -q 'pvh_direct_kernel\|pvh-direct' "$dir/err" &&
   grep -q 'pvh_direct_kernel' "$dir/err0"; then
    echo "ok confidential/auto: firmware path taken, then TCG refuses SEV"
else
    echo "FAIL confidential/auto: exit status $rc: $(head -c 300 "$dir/err")"
    failed=$((failed + 1))
fi
exit $((failed > 0))
