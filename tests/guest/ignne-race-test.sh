#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ignne-race-test.sh QEMU GUESTDIR MACHINE: the IGNNE# race probe
# (ignne-race.c) under multi-threaded TCG with two vCPUs and SVM in
# CPUID: CPU 0's NMI blocking and GIF must hold while CPU 1 loops
# FLDENV.  A QEMU whose FPU restore rewrites the first CPU's hflags2
# (Debian's 10.0.2 and upstream up to 10.2) fails it in most runs, in
# about a second; patched, it passes in some 10 s on a loaded 2-core
# machine.  It cannot fail because the host is slow: each wait is for
# an NMI the waiting CPU sent itself.  Prints one line.
set -euo pipefail
qemu=$1 dir=$2 machine=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name="ignne-race $machine"
rc=0
timeout 240 "$qemu" -M "$machine" -accel tcg,thread=multi -cpu qemu64,+svm \
    -smp 2 -m 64M -display none -no-user-config -nic none -serial none \
    -monitor none -kernel "$dir/ignne-race.elf" -debugcon "file:$tmp/out" \
    -device isa-debug-exit,iobase=0xf4,iosize=4 2>"$tmp/err" || rc=$?
# isa-debug-exit: the probe writes 0 (passed) or 1, QEMU exits
# (value << 1) | 1
if [ "$rc" = 1 ] && grep -q '^ignne-race end$' "$tmp/out" &&
   [ "$(grep -c ': ok after ' "$tmp/out")" = 2 ]; then
    echo "ok $name: $(grep -o 'nmi: ok after [0-9]* rounds' "$tmp/out"), $(grep -o 'gif: ok after [0-9]* rounds' "$tmp/out")"
    exit 0
fi
echo "FAIL $name: QEMU exit status $rc, $(grep -v '^ignne-race start$\|^ignne-race FAIL$' "$tmp/out" | tr '\n' ' ')$(head -n 1 "$tmp/err")"
exit 1
