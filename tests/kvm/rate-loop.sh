#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# rate-loop.sh QEMU KERNEL INITRD MACHINE N ACCEL QUIET
# A measurement, not a test (issue 29; tests/kvm/hang-rate.sh runs it,
# inside the nested machine under KVM or on this host under TCG): boot
# KERNEL on MACHINE with -smp 2, N times on each path, alternating
# direct and firmware (pvh-direct=off), and print one line per boot:
#   KVM-RATE PATH I RESULT STATUS SECONDS
# RESULT: init (isa-debug-exit from init), hang (no init in 120 s) or
# other (any other end).  QUIET: quiet, or - for a full console.
# Before a hung QEMU is killed, its evidence, in KVM-RATE-HANG lines:
# every vCPU's RIP, RFLAGS and halted state, the boot CPU's local APIC
# timer and LVTs, the 8259s, the console's last lines, and the kernel
# log's last lines of the machine QEMU runs on (the nested host).
# PVH_HANG_AFTER: seconds before a boot counts as hung (default 120).
set -uo pipefail
qemu=$1 kernel=$2 initrd=$3 machine=$4 n=$5 accel=$6 quiet=$7
[ "$quiet" = - ] && quiet=
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/boot/watch.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for i in $(seq "$n"); do
    for path in direct firmware; do
        opts=$([ $path = firmware ] && echo ",pvh-direct=off")
        : > "$tmp/serial"
        t0=$(cut -d' ' -f1 /proc/uptime)
        watch_qemu "${PVH_HANG_AFTER:-120}" "$tmp/evidence" \
            $qemu -M "$machine$opts" -accel "$accel" -m 512M -smp 2 \
            -display none -no-user-config -device isa-debug-exit,iobase=0x501 \
            -kernel "$kernel" -initrd "$initrd" \
            -append "console=ttyS0 ${quiet:+$quiet }pvh.action=exit" \
            -serial "file:$tmp/serial" > /dev/null 2>&1
        st=$?
        t1=$(cut -d' ' -f1 /proc/uptime)
        case $st in 1) r=init ;; 124) r=hang ;; *) r=other ;; esac
        echo "KVM-RATE $path $i $r $st $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
        if [ $r = hang ]; then
            grep -v '^$' "$tmp/evidence" | sed 's/^/KVM-RATE-HANG /'
            tr -d '\r' < "$tmp/serial" | tail -n 5 | sed 's/^/KVM-RATE-HANG console: /'
            dmesg 2>/dev/null | tail -n 3 | sed 's/^/KVM-RATE-HANG host: /'
        elif [ $r = other ]; then
            tr -d '\r' < "$tmp/serial" | tail -n 3 | sed 's/^/KVM-RATE-OTHER console: /'
        fi
    done
done
