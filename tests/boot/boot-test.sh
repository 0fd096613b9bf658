#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# boot-test.sh QEMU KERNEL INITRD MACHINE TEST
# Boot a real Linux vmlinux through the PVH direct path under TCG.
#   init    reaches init with the given command line and initrd, and
#           SeaBIOS's debug port (0x402) stays silent: no firmware ran
#   reboot  a guest "reboot -f" re-enters the kernel 3 times in a row
# Prints one line; exit status 0 on success.
set -euo pipefail
qemu=$1 kernel=$2 initrd=$3 machine=$4 test=$5
name="$(basename "$kernel" .vmlinux) $machine $test"
tmp=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
marker="pvh.marker=$RANDOM$RANDOM"
cmdline="console=ttyS0 panic=-1 pvh.action=$([ "$test" = reboot ] && echo reboot || echo exit) $marker"
args=(-M "$machine" -m 512M -smp 1 -display none -no-user-config
      -kernel "$kernel" -initrd "$initrd" -append "$cmdline"
      -serial "file:$tmp/serial"
      -chardev "file,id=fw,path=$tmp/firmware"
      -device isa-debugcon,iobase=0x402,chardev=fw
      -device isa-debug-exit)
# The console ends lines with \r\n
log() { [ ! -f "$tmp/serial" ] || tr -d '\r' < "$tmp/serial"; }
fail() { echo "FAIL $name: $*"; tail -n 20 "$tmp/serial" 2>/dev/null | sed 's/^/    /'; exit 1; }

case $test in
init)
    rc=0
    timeout 120 "$qemu" "${args[@]}" || rc=$?
    [ "$rc" = 1 ] || fail "QEMU exit status $rc (expected 1, from isa-debug-exit)"
    log | grep -aq 'PVH-INIT: reached init' || fail "init not reached"
    log | grep -aq "^PVH-CMDLINE: $cmdline\$" || fail "command line not intact"
    ;;
reboot)
    "$qemu" "${args[@]}" 2>"$tmp/stderr" & pid=$!
    for _ in $(seq 240); do
        n=$(log | grep -ac 'PVH-INIT: reached init' || true)
        [ "${n:-0}" -ge 4 ] && break
        kill -0 "$pid" 2>/dev/null || fail "QEMU exited"
        sleep 0.5
    done
    [ "${n:-0}" -ge 4 ] || fail "only ${n:-0} boots reached init in 120 s (want 4)"
    [ "$(log | grep -ac "^PVH-CMDLINE: $cmdline\$")" -ge 4 ] ||
        fail "command line not intact after reboot"
    ;;
*) echo "unknown test $test" >&2; exit 2 ;;
esac
[ ! -s "$tmp/firmware" ] || fail "firmware printed on port 0x402: $(head -c 200 "$tmp/firmware")"
! log | grep -aq 'SeaBIOS' || fail "SeaBIOS output on the serial port"
echo "ok $name"
