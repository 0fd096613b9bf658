#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-initramfs.sh OUT.cpio.gz [MODULES_DIR]
# A busybox-static initramfs whose init reports what the guest sees over
# the serial console and then does what pvh.action= on the command line
# says: exit (isa-debug-exit), reboot, poweroff, halt, or acpi (halt, and
# power off when the ACPI power button is pressed).  With
# MODULES_DIR, the virtio/e1000 and vmgenid driver modules of that kernel go in.
set -euo pipefail
out=$1
mods=${2:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
cp /bin/busybox "$root/bin/busybox"
cp "$(dirname "$0")/init" "$root/init"
chmod +x "$root/init"
if [ -n "$mods" ]; then
    kver=$(basename "$(ls -d "$mods"/*/ | head -n 1)")
    mkdir -p "$root/lib/modules/$kver"
    (cd "$mods/$kver" && find kernel -name '*.ko*' \( -path '*virtio*' -o \
        -name 'e1000.ko*' -o -name 'e1000e.ko*' -o -name 'failover.ko*' \
        -o -name 'net_failover.ko*' -o -name 'vmgenid.ko*' \
        -o -name 'evdev.ko*' -o -name 'button.ko*' \
        -o -name 'crc*' \) -print0 | cpio -0 -pdm --quiet "$root/lib/modules/$kver")
    cp "$mods/$kver"/modules.* "$root/lib/modules/$kver/" 2>/dev/null || true
fi
(cd "$root" && find . -print0 | cpio -0 -o -H newc --quiet) | gzip -9 > "$out"
