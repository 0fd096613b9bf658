#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# host-test.sh QEMU GUESTDIR: the test guests under this machine's own
# /dev/kvm, where it has one (the nested rig, tests/kvm/run.sh, covers
# KVM-AMD under TCG everywhere; this covers the host's vendor for real,
# KVM-Intel included, which TCG cannot emulate).
#   - the PVH ELF32 and ELF64 guests, the bzImage guest, the two
#     multiboot guests and a packed one, on pc and q35, 3 guest reboots
#     each; every boot checks the boot CPU's state against its protocol
#     (tests/guest/guest.c: EFLAGS, CR0, CR4, EFER, MTRRs, segments);
#   - the platform probe on pc and q35, PVH and multiboot: the interrupt
#     controllers and routing as firmware leaves them, firmware path
#     against direct path (tests/guest/platform-test.sh);
#   - 5 QMP system_resets of the PVH guest (tests/guest/reset-soak.py).
# Prints "ok kvm-host ..." lines, the first naming the vendor, or one
# "skip kvm-host: REASON" line where there is no /dev/kvm or it cannot
# run a tiny guest.  Linux guests are not booted here: on these
# machines' nested KVM even stock QEMU fails to bring Linux up (a KVM
# internal error in the decompressor, or no init in 60 s).
set -uo pipefail
qemu=$1 guests=$2
here=$(cd "$(dirname "$0")/.." && pwd)

vendor=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
case $vendor in
GenuineIntel) vendor=Intel ;;
AuthenticAMD) vendor=AMD ;;
esac
if [ ! -e /dev/kvm ]; then
    echo "skip kvm-host: no /dev/kvm on this machine ($vendor CPU)"
    exit 0
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "skip kvm-host: /dev/kvm is not readable and writable by $(id -un)"
    exit 0
fi
# Can KVM run anything here?  The smallest guest, once, no reboots
probe=$(timeout 30 "$qemu" -M pc -accel kvm -m 64M -display none \
    -no-user-config -kernel "$guests/guest32.elf" -initrd "$guests/initrd.bin" \
    -append guest-test \
    -device isa-debug-exit,iobase=0xf4,iosize=4 2>&1)
rc=$?
if [ $rc != 1 ]; then
    why=$(head -n 1 <<<"$probe")
    [ $rc != 124 ] || why="no exit in 30 s"
    echo "skip kvm-host: $vendor /dev/kvm cannot run the tiny PVH guest (status $rc: ${why:-no message})"
    exit 0
fi
flags=$(grep -m1 -wo 'vmx\|svm' /proc/cpuinfo || echo "no vmx/svm flag")
# Which KVM: kvm_intel, kvm_amd, or another (kvm_pvm: a software
# hypervisor inside a guest, with no vmx/svm)
module=$(ls /sys/module 2>/dev/null | grep '^kvm_' | tr '\n' ' ' | sed 's/ $//')
echo "ok kvm-host: /dev/kvm on $vendor (${module:-KVM module not named}; $flags; $(nproc) CPUs) runs the tiny PVH guest"

for m in pc q35; do
    for g in guest32 guest64 guestbz guestmb guestmb-aout guestpz-zstd; do
        if out=$(PVH_ACCEL=kvm bash "$here/guest/run.sh" "$qemu" "$guests" $g $m 2>&1); then
            echo "ok kvm-host $vendor $(tail -n 1 <<<"$out")"
        else
            echo "FAIL kvm-host $vendor $g on $m:"
            tail -n 20 <<<"$out" | sed 's/^/    /'
        fi
    done
done
# The machine as firmware leaves it (interrupt controllers, routing),
# with the in-kernel irqchip
for m in pc q35; do
    for k in pvh mb; do
        out=$(PVH_ACCEL=kvm bash "$here/guest/platform-test.sh" "$qemu" "$guests" $m $k 2>&1)
        case $out in
        ok*) echo "ok kvm-host $vendor ${out#ok }" ;;
        *) echo "FAIL kvm-host $vendor platform $k on $m: ${out#FAIL }" ;;
        esac
    done
done
if out=$(PVH_SOAK_ACCEL=kvm PVH_SOAK_NO_RSS=1 /usr/bin/python3 \
         "$here/guest/reset-soak.py" "$qemu" "$guests/guest64.elf" \
         "$guests/initrd.bin" 5 2>&1); then
    echo "ok kvm-host $vendor $(tail -n 1 <<<"$out" | sed 's/^ok //')"
else
    echo "FAIL kvm-host $vendor system_reset:"
    tail -n 20 <<<"$out" | sed 's/^/    /'
fi
