#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch Debian's own kernels and extract the ELF vmlinux (the bzImage
# payload, which carries the PVH note) into $PVH_CACHE/kernels:
#   linux-6.1.vmlinux   bookworm, XZ payload
#   linux-6.12.vmlinux  6.12 from bookworm(-backports), ZSTD payload
# with the bzImage beside each (.bzImage) and its modules tree (.modules).
# Idempotent.  Prints nothing but errors.
set -euo pipefail
. "$(dirname "$0")/common.sh"

dest=$PVH_CACHE/kernels
mkdir -p "$dest"

newest() {
    apt-cache search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -n 1
}

# The payload of a bzImage: setup_sects at 0x1f1, payload_offset and
# payload_length at 0x248/0x24c, relative to the protected-mode code.
payload() {
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
setup = (d[0x1f1] or 4) + 1
off, length = struct.unpack_from('<II', d, 0x248)
start = setup * 512 + off
sys.stdout.buffer.write(d[start:start + length])
PY
}

extract() {
    local name=$1 pkg=$2 tmp
    [ -s "$dest/$name.vmlinux" ] && return 0
    [ -n "$pkg" ] || die "no Debian package found for $name"
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null) || die "apt-get download $pkg failed"
    dpkg-deb -x "$tmp"/*.deb "$tmp/root"
    cp "$tmp"/root/boot/vmlinuz-* "$dest/$name.bzImage"
    rm -rf "$dest/$name.modules"
    mv "$tmp/root/lib/modules" "$dest/$name.modules"
    payload "$dest/$name.bzImage" > "$tmp/payload"
    case $(head -c 4 "$tmp/payload" | od -An -tx1 | tr -d ' ') in
    fd377a58) xz -dc --single-stream "$tmp/payload" > "$tmp/vmlinux" ;;
    # zstd stops with an error at the 4 trailing size bytes; the output
    # before them is whole, which the ELF check below confirms.
    28b52ffd) zstd -dc "$tmp/payload" > "$tmp/vmlinux" 2>/dev/null || true ;;
    *) die "$pkg: unknown bzImage payload compression" ;;
    esac
    file "$tmp/vmlinux" | grep -q 'ELF 64-bit LSB executable' ||
        die "$pkg: payload is not an ELF vmlinux"
    mv "$tmp/vmlinux" "$dest/$name.vmlinux"
    echo "$pkg" > "$dest/$name.package"
    rm -rf "$tmp"
}

extract linux-6.1 "$(newest '^linux-image-6\.1\.0-[0-9]+-amd64$')"
extract linux-6.12 "$(newest '^linux-image-6\.12\.[0-9]+\+(deb12|bpo)-amd64$')"

# Two bzImage-format images that are not Linux: memtest86+ (protocol
# 2.12, no BIOS calls: boots directly) and iPXE's .lkrn (protocol 2.07,
# code32_start 0: its 16-bit setup calls the BIOS, so firmware boots it)
image() {
    local name=$1 pkg=$2 path=$3 tmp
    [ -s "$dest/$name" ] && return 0
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>"$tmp/err") ||
        { cat "$tmp/err" >&2; die "apt-get download $pkg failed"; }
    dpkg-deb -x "$tmp"/*.deb "$tmp/root"
    cp "$tmp/root/$path" "$dest/$name"
    rm -rf "$tmp"
}
image memtest86+x64.bin memtest86+ boot/memtest86+x64.bin
image ipxe.lkrn ipxe boot/ipxe.lkrn

# A multiboot kernel: the Xen hypervisor (gzip'd ELF32 with multiboot1
# and multiboot2 headers, and a PVH note)
if [ ! -s "$dest/xen-4.17.elf" ]; then
    image xen-4.17.gz xen-hypervisor-4.17-amd64 boot/xen-4.17-amd64.gz
    gzip -dc "$dest/xen-4.17.gz" > "$dest/xen-4.17.elf.tmp"
    mv "$dest/xen-4.17.elf.tmp" "$dest/xen-4.17.elf"
    rm -f "$dest/xen-4.17.gz"
fi
