#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's first command: install the build dependencies, build the
# patched QEMU, fetch Debian's Linux 6.1 kernel and boot its vmlinux
# through the PVH entry with no firmware, showing the console up to init.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$PVH_ROOT"

bash scripts/build-qemu.sh
bash scripts/fetch-kernels.sh
kdir=$PVH_CACHE/kernels
initrd=$PVH_OUT/linux-6.1-initramfs.cpio.gz
[ "$initrd" -nt tests/boot/init ] ||
    bash tests/boot/make-initramfs.sh "$initrd" "$kdir/linux-6.1.modules"
qemu=$PVH_QEMU_OUT/build/qemu-system-x86_64
log "booting $(cat "$kdir/linux-6.1.package") (vmlinux, PVH entry, no firmware)"
rc=0
timeout 120 "$qemu" -M pc -m 512M -display none -no-user-config \
    -kernel "$kdir/linux-6.1.vmlinux" -initrd "$initrd" \
    -append "console=ttyS0 quiet pvh.action=exit" \
    -serial stdio -device isa-debug-exit | tr -d '\r' || rc=$?
# isa-debug-exit makes QEMU exit with status 1 when init asks it to
[ "$rc" = 1 ] || die "the guest did not reach init (QEMU status $rc)"
log "done: Linux reached init with no firmware; qemu-system-x86_64 is $qemu"
