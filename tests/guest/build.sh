#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build.sh OUTDIR: build the PVH test guests
#   guest32.elf  ELF32 (EM_386), 4-byte PVH note desc
#   guest64.elf  ELF64 (EM_X86_64), 8-byte desc, as Linux x86-64 emits
#   guestbz.bin  a bzImage (Linux's 32-bit boot protocol), loaded at 1 MiB
#   guestmb.elf  a multiboot kernel, ELF32, loaded at 2 MiB
#   guestmb-aout.bin  the same as a flat image with MULTIBOOT_AOUT_KLUDGE
#   guestpz-{gzip,xz,zstd}.bin  guest64.elf packed in a bzImage as Linux
#                packs vmlinux, for pvh-unpack=on
#   platform.elf, platform-mb.elf  the platform probe (platform.c) as a
#                PVH ELF and as a multiboot kernel
#   ignne-race.elf  the IGNNE# race probe (ignne-race.c), a PVH ELF
# The ELF guests run the same 32-bit code, loaded at 2 MiB.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=$1
cc=${CC:-gcc}
mkdir -p "$out"
cflags=(-m32 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -nostdlib
        -O2 -Wall -Werror -fno-asynchronous-unwind-tables
        --param=min-pagesize=0)
ldflags=(-m elf_i386 -T "$src/guest.ld" -z noexecstack --no-warn-rwx-segments)
"$cc" "${cflags[@]}" -c "$src/guest.c" -o "$out/guest.o"
"$cc" "${cflags[@]}" -c "$src/entry.S" -o "$out/entry4.o"
"$cc" "${cflags[@]}" -DNOTE_DESC8 -c "$src/entry.S" -o "$out/entry8.o"
ld "${ldflags[@]}" -o "$out/guest32.elf" "$out/entry4.o" "$out/guest.o"
ld "${ldflags[@]}" -o "$out/guest64-as32.elf" "$out/entry8.o" "$out/guest.o"
objcopy -I elf32-i386 -O elf64-x86-64 "$out/guest64-as32.elf" "$out/guest64.elf"
"$cc" "${cflags[@]}" -DBZIMAGE -c "$src/guest.c" -o "$out/guest-bz.o"
"$cc" "${cflags[@]}" -c "$src/entry-bz.S" -o "$out/entry-bz.o"
ld -m elf_i386 -T "$src/guest-bz.ld" -z noexecstack -o "$out/guestbz.elf" \
    "$out/entry-bz.o" "$out/guest-bz.o"
objcopy -O binary "$out/guestbz.elf" "$out/guestbz.flat"
end=$(nm "$out/guestbz.elf" | awk '$3 == "_end" { print $1 }')
python3 "$src/mkbzimage.py" "$out/guestbz.flat" $((16#$end - 0x100000)) \
    "$out/guestbz.bin"
"$cc" "${cflags[@]}" -DMULTIBOOT -c "$src/guest.c" -o "$out/guest-mb.o"
for v in elf aout; do
    d=; [ $v = aout ] && d=-DAOUT_KLUDGE
    "$cc" "${cflags[@]}" $d -c "$src/entry-mb.S" -o "$out/entry-mb-$v.o"
    ld -m elf_i386 -T "$src/guest-mb.ld" -z noexecstack \
        --no-warn-rwx-segments -o "$out/guestmb-$v.elf" \
        "$out/entry-mb-$v.o" "$out/guest-mb.o"
done
mv "$out/guestmb-elf.elf" "$out/guestmb.elf"
objcopy -O binary "$out/guestmb-aout.elf" "$out/guestmb-aout.bin"
"$cc" "${cflags[@]}" -c "$src/platform.c" -o "$out/platform.o"
"$cc" "${cflags[@]}" -DMULTIBOOT -c "$src/platform.c" -o "$out/platform-mb.o"
ld "${ldflags[@]}" -o "$out/platform.elf" "$out/entry4.o" "$out/platform.o"
ld -m elf_i386 -T "$src/guest-mb.ld" -z noexecstack --no-warn-rwx-segments \
    -o "$out/platform-mb.elf" "$out/entry-mb-elf.o" "$out/platform-mb.o"
"$cc" "${cflags[@]}" -c "$src/ignne-race.c" -o "$out/ignne-race.o"
ld "${ldflags[@]}" -o "$out/ignne-race.elf" "$out/entry4.o" "$out/ignne-race.o"
for f in gzip xz zstd; do
    python3 "$src/mkpacked.py" "$out/guest64.elf" $f "$out/guestpz-$f.bin"
done
# The initrd the guest checksums: 4096 bytes of (i * 7 + 3) & 0xff
python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) & 255 for i in range(4096)))" \
    > "$out/initrd.bin"
