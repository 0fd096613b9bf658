#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# xen-test.sh QEMU XEN DOM0 INITRD MACHINE TEST
# A real multiboot workload with no firmware: Debian's Xen hypervisor
# (multiboot, its ELF) with a Linux bzImage as dom0 and the boot-test
# initramfs as dom0's, both given as multiboot modules with their
# command lines, under TCG with direct-boot=on.
#   reboot    dom0 reboots; Xen resets the machine and QEMU enters Xen
#             again: two Xen banners, two dom0 inits, no firmware output
#   poweroff  dom0 powers off, Xen turns the machine off: QEMU status 0
#   bioscall  without no-real-mode, Xen's trampoline calls the BIOS (int
#             15h): QEMU stops with status 1 and one line naming the
#             kernel and the interrupt, instead of running into zeros
# Every boot of reboot and poweroff checks Xen's banner, that Xen saw both modules, and that
# dom0's init ran with the command line given to its module.
# Xen is given no-real-mode: its real-mode trampoline otherwise asks the
# BIOS for the memory map, EDD and the video mode (see
# docs/system/i386/pvh-direct.rst).
set -euo pipefail
qemu=$1 xen=$2 dom0=$3 initrd=$4 machine=$5 test=$6
name="xen $(basename "$dom0" .bzImage) dom0 $machine $test"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
marker="pvh.marker=$RANDOM$RANDOM"
fail() { echo "FAIL $name: $*"; tail -n 25 "$tmp/serial" 2>/dev/null | sed 's/^/    /'; exit 1; }
log() { [ ! -f "$tmp/serial" ] || tr -d '\r' < "$tmp/serial"; }
count() { log | grep -ac -- "$1" || true; }

action=$test
args=(-M "$machine,direct-boot=on" -cpu max -m 1G -display none
      -no-user-config -serial "file:$tmp/serial"
      -kernel "$xen"
      -append "console=com1 com1=115200,8n1 dom0_mem=512M no-real-mode"
      -initrd "$dom0 console=hvc0 panic=-1 pvh.action=$action $marker,$initrd"
      -chardev "file,id=fw,path=$tmp/firmware"
      -device isa-debugcon,iobase=0x402,chardev=fw)
rc=0
case $test in
bioscall)
    args=("${args[@]/ no-real-mode/}")
    timeout 120 "$qemu" "${args[@]}" 2>"$tmp/err" || rc=$?
    [ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
        grep -q "kernel '$xen' called the BIOS (real-mode int 0x15)" "$tmp/err" ||
        fail "status $rc (expected 1): $(head -c 300 "$tmp/err")"
    echo "ok $name: $(cat "$tmp/err")"
    exit 0 ;;
reboot)
    # Two boots, then stop it
    timeout 240 "$qemu" "${args[@]}" &
    pid=$!
    for _ in $(seq 480); do
        [ "$(count 'PVH-INIT: reached init')" -ge 2 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    want=2 ;;
poweroff)
    timeout 240 "$qemu" "${args[@]}" || rc=$?
    [ "$rc" = 0 ] || fail "QEMU exit status $rc (expected 0, a poweroff)"
    want=1 ;;
*) echo "xen-test.sh: unknown test $test" >&2; exit 2 ;;
esac
[ "$(count 'Xen version 4')" -ge "$want" ] || fail "$want Xen banner(s) expected, saw $(count 'Xen version 4')"
# Xen took the memory map from the multiboot information, and found
# dom0's kernel and initrd among the modules
for what in 'Multiboot-e820 RAM map' 'Dom0 kernel: 64-bit' 'Init. ramdisk:'; do
    [ "$(count "$what")" -ge "$want" ] || fail "Xen's log lacks '$what'"
done
[ "$(count 'PVH-INIT: reached init')" -ge "$want" ] || fail "dom0 reached init $(count 'PVH-INIT: reached init') time(s), want $want"
log | grep -a '^PVH-CMDLINE:' | grep -q -- "$marker" ||
    fail "dom0's command line lacks its module's command line ($marker)"
[ ! -s "$tmp/firmware" ] || fail "firmware wrote to its debug port: $(head -c 80 "$tmp/firmware")"
echo "ok $name ($(count 'PVH-INIT: reached init') dom0 boot(s))"
