#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh QEMU GUESTDIR KERNELDIR INITRDDIR [FILTER]
# Real KVM without /dev/kvm: QEMU (under TCG, which emulates AMD-V with
# nested paging) boots Debian's 6.12 vmlinux through the PVH direct path;
# its initramfs (make-rootfs.sh) loads kvm_amd and runs checks.sh, which
# runs the same QEMU binary with -accel kvm and with Xen emulation.
# Prints the ok/FAIL lines of the nested run, then its own.  FILTER runs
# only the checks whose label contains it.
set -euo pipefail
qemu=$1 guests=$2 kdir=$3 initrds=$4 filter=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

bash "$here/make-rootfs.sh" "$tmp/rootfs.cpio" "$qemu" "$guests" "$kdir" "$initrds"
rc=0
# The checks take about 6 minutes; the limit leaves room for a slow host
timeout 1500 "$qemu" -M q35 -accel tcg -cpu EPYC,+svm,+npt -m 3G -smp 2 \
    -display none -no-user-config -nic none -no-reboot \
    -kernel "$kdir/linux-6.12.vmlinux" -initrd "$tmp/rootfs.cpio" \
    -append "console=ttyS0 quiet panic=-1${filter:+ pvh.kvm_checks=${filter// /,}} pvh.kvm_gdb=${PVH_KVM_GDB:-0}" \
    -serial "file:$tmp/serial" 2>"$tmp/stderr" || rc=$?
tr -d '\r' < "$tmp/serial" > "$tmp/log"
# PVH_KVM_LOG=FILE keeps the nested machine's whole console
[ -z "${PVH_KVM_LOG:-}" ] || cp "$tmp/log" "$PVH_KVM_LOG"
grep -a '^ok\|^FAIL\|^    ' "$tmp/log" || true
if ! grep -aq '^KVM-DONE' "$tmp/log"; then
    echo "FAIL kvm: the nested machine did not finish (QEMU status $rc, $((SECONDS - start)) s)"
    tail -n 30 "$tmp/log" | sed 's/^/    /'
    sed 's/^/    /' "$tmp/stderr"
    exit 1
fi
echo "ok kvm: nested machine done in $((SECONDS - start)) s (QEMU status $rc)"
