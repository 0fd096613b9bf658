#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-rootfs.sh OUT.cpio QEMU GUESTDIR KERNELDIR INITRDDIR
# The initramfs of the nested-KVM machine (uncompressed cpio: the outer
# Linux runs under TCG, where unpacking is cheaper than decompressing):
#   - busybox-static, plus bash and GNU grep with their libraries, so
#     that tests/guest/run.sh and tests/boot/*.sh run there unchanged;
#   - QEMU (stripped), the libraries ldd lists and the dynamic loader;
#   - the firmware blobs of QEMU's qemu-bundle (for the firmware path
#     and the NICs' option ROMs), dereferenced;
#   - irqbypass, kvm, ccp and kvm-amd from the outer kernel's package,
#     decompressed (insmod in that order);
#   - the test guests, Debian's vmlinux and bzImage files and their test
#     initramfs
#     (INITRDDIR/linux-*-initramfs.cpio.gz), and the test scripts.
set -euo pipefail
out=$1 qemu=$2 guests=$3 kdir=$4 initrds=$5
src=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# A dynamically linked program and every library it loads
add_prog() {
    local f
    mkdir -p "$root$(dirname "$2")"
    cp "$1" "$root$2"
    for f in $(ldd "$1" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
        mkdir -p "$root$(dirname "$f")"
        cp -L "$f" "$root$f"
    done
}

mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib64,pvh/share}
cp /bin/busybox "$root/bin/busybox"
add_prog /bin/bash /bin/bash
add_prog /bin/grep /bin/grep
add_prog "$qemu" /pvh/qemu-system-x86_64
# PVH_KVM_GDB=1: keep QEMU's symbols and add gdb, for debugging a crash
# in the nested machine (not used by the tests)
if [ "${PVH_KVM_GDB:-0}" = 1 ]; then
    add_prog "$(command -v gdb)" /bin/gdb
    mkdir -p "$root/usr/share"
    cp -r /usr/share/gdb "$root/usr/share/"
    py=$(ls -d /usr/lib/python3.[0-9]* | head -n 1)
    mkdir -p "$root$py"
    (cd "$py" && find . -path ./site-packages -prune -o -path ./test -prune \
        -o -print0 | cpio -0 -pdm --quiet "$root$py")
else
    strip "$root/pvh/qemu-system-x86_64"
fi
# Dangling links (blobs of packages not installed) are left out
for f in "$(dirname "$qemu")"/qemu-bundle/usr/share/qemu/*; do
    [ ! -f "$f" ] || cp -L "$f" "$root/pvh/share/"
done

kver=$(basename "$(ls -d "$kdir"/linux-6.12.modules/*/ | head -n 1)")
mods=$kdir/linux-6.12.modules/$kver/kernel
mkdir -p "$root/pvh/modules"
for m in virt/lib/irqbypass arch/x86/kvm/kvm drivers/crypto/ccp/ccp \
         arch/x86/kvm/kvm-amd; do
    xz -dc "$mods/$m.ko.xz" > "$root/pvh/modules/${m##*/}.ko"
done

mkdir -p "$root/pvh/guest" "$root/pvh/kernels"
cp "$guests"/guest32.elf "$guests"/guest64.elf "$guests"/guestbz.bin \
    "$guests"/guestmb.elf "$guests"/guestmb-aout.bin "$guests"/guestpz-zstd.bin \
    "$guests"/initrd.bin "$guests"/platform.elf "$guests"/platform-mb.elf \
    "$root/pvh/guest/"
for k in linux-6.1 linux-6.12; do
    cp "$kdir/$k.vmlinux" "$kdir/$k.bzImage" "$root/pvh/kernels/"
    cp "$initrds/$k-initramfs.cpio.gz" "$root/pvh/kernels/"
done
mkdir -p "$root/pvh/src/tests"
cp -r "$src/tests/guest" "$src/tests/boot" "$src/tests/kvm" "$root/pvh/src/tests/"
cp "$src/tests/kvm/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . -print0 | cpio -0 -o -H newc --quiet) > "$out"
