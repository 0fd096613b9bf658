#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh QEMU GUESTDIR NAME MACHINE: boot one test guest with 3 reboots
# and compare what it printed with expected.txt.  Under TCG (the
# default), the first guest instruction QEMU executed must be the PVH
# entry (no firmware).  With PVH_ACCEL set (an -accel value, e.g. kvm),
# where QEMU cannot log executed blocks, SeaBIOS's debug port must stay
# silent instead.  NAME guestbz is the bzImage guest: its own expected
# output (expected-bz.txt), its entry the first byte at 1 MiB.  NAME
# guestmb and guestmb-aout are the multiboot guests (ELF, and flat with
# the a.out kludge), booted with direct-boot=on (multiboot kernels keep
# firmware on auto) and two modules (expected-mb.txt).  NAME guestpz-*
# are guest64.elf packed in a bzImage (gzip, xz, zstd), booted with
# pvh-unpack=on: the PVH guest's output, entered at its PVH entry.
set -euo pipefail
qemu=$1 dir=$2 name=$3 machine=$4
src=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file=$dir/$name.elf expected=$src/expected.txt
initrd=$dir/initrd.bin opts=${PVH_MACHINE_OPTS:-}
[ "$name" != guestbz ] || file=$dir/$name.bin expected=$src/expected-bz.txt
case $name in
guestmb*)
    [ "$name" = guestmb ] || file=$dir/$name.bin
    expected=$src/expected-mb.txt opts="$opts,direct-boot=on"
    initrd="$dir/initrd.bin mod0 a=1,$dir/initrd.bin mod1" ;;
guestpz-*) file=$dir/$name.bin opts="$opts,pvh-unpack=on" ;;
esac
# microvm has no PCI reset control or keyboard controller: the guest
# reboots by a triple fault
append="guest-test reboots=3"
case $machine in microvm*) append="$append triple" ;; esac
sed "s/^cmdline: guest-test reboots=3\$/cmdline: $append/" "$expected" > "$tmp/expected"
expected=$tmp/expected
accel=(-d exec,nochain -D "$tmp/exec.log")
[ -z "${PVH_ACCEL:-}" ] || accel=(-accel "$PVH_ACCEL")
rc=0
timeout 60 "$qemu" -M "$machine$opts" -m 64M -display none -no-user-config \
    -kernel "$file" -initrd "$initrd" \
    -append "$append" \
    -chardev file,id=dc,path="$tmp/out" \
    -device isa-debugcon,iobase=0xe9,chardev=dc \
    -chardev file,id=fw,path="$tmp/firmware" \
    -device isa-debugcon,iobase=0x402,chardev=fw \
    -device isa-debug-exit,iobase=0xf4,iosize=4 "${accel[@]}" || rc=$?
# isa-debug-exit: status (0 << 1) | 1 = 1 means the guest passed
if [ "$rc" != 1 ]; then
    echo "$name on $machine: QEMU exit status $rc (expected 1)"; cat "$tmp/out"; exit 1
fi
diff -u "$expected" "$tmp/out" || { echo "$name on $machine: output differs"; exit 1; }
if [ -s "$tmp/firmware" ]; then
    echo "$name on $machine: firmware printed on port 0x402"; exit 1
fi
if [ -n "${PVH_ACCEL:-}" ]; then
    echo "$name on $machine: 4 boots as expected under -accel $PVH_ACCEL, no firmware output"
    exit 0
fi
entry=$(nm "$dir/guest32.elf" | awk '$3 == "pvh_entry" { print $1 }')
[ "$name" != guestbz ] || entry=100000
case $name in
guestmb) entry=$(nm "$dir/guestmb.elf" | awk '$3 == "mb_entry" { print $1 }') ;;
guestmb-aout)
    entry=$(nm "$dir/guestmb-aout.elf" | awk '$3 == "mb_entry" { print $1 }') ;;
guestpz-*) entry=$(nm "$dir/guest64.elf" | awk '$3 == "pvh_entry" { print $1 }') ;;
esac
first=$(grep -m1 '^Trace' "$tmp/exec.log" | sed 's/.*\[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/')
if [ "$((16#$first))" != "$((16#$entry))" ]; then
    echo "$name on $machine: first executed block at 0x$first, the kernel entry is 0x$entry"
    exit 1
fi
echo "$name on $machine: 4 boots as expected, first block at the kernel entry 0x$entry"
