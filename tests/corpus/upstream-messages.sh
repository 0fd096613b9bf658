#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# upstream-messages.sh QEMU [STOCK]: where upstream QEMU reports a bad
# -kernel, -initrd or -dtb, our binary keeps upstream's words, on every
# path: tools grep them (a KVM test harness decides whether a binary
# works by grepping "[Cc]ould not (load|open) kernel").
#
# Each condition that x86_load_linux(), load_elfboot() and
# load_multiboot() report runs on -M pc (direct boot on auto), pc with
# direct-boot=on, pc with direct-boot=off (the firmware path) and q35:
# QEMU must exit with status 1, and its message must hold upstream's
# phrase and name the file.  With STOCK (Debian's unpatched QEMU of the
# same version), the same rows run on it too, on pc and q35: its message
# must hold the same phrase, which shows the phrase is upstream's.
# Prints one line per case; exit status 1 if any failed.
set -uo pipefail
qemu=$1 stock=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
python3 "$here/gen-malformed.py" "$d" >/dev/null
printf 'not a kernel, just some notes\n' >"$d/notes.txt"
# Well-formed images of gen-malformed.py: a PVH ELF, a multiboot kernel
cp "$d/initrd-empty.elf" "$d/good.elf"
cp "$d/mb-module-missing.elf" "$d/mb-good.bin"
good=$d/good.elf

# name|kernel|extra arguments|upstream's phrase|the file it must name
rows=(
"kernel-missing|$d/nonexistent||could not open kernel file|$d/nonexistent"
"kernel-directory|$d||could not load kernel|$d"
"kernel-empty|$d/empty.img||could not load kernel|$d/empty.img"
"initrd-missing-elf|$good|-initrd $d/none.img|error reading initrd|$d/none.img"
"initrd-missing-bz|$d/bz-initrd-fifo.elf|-initrd $d/none.img|error reading initrd|$d/none.img"
"initrd-too-large-elf|$good|-initrd $d/big.img|initrd is too large, cannot support|$d/big.img"
"dtb-missing|$d/bz-initrd-fifo.elf|-dtb $d/none.dtb|error reading dtb|$d/none.dtb"
"dtb-old-protocol|$d/bz-dtb-protocol-2.08.elf|-dtb $d/x.dtb|Linux kernel too old to load a dtb|$d/bz-dtb-protocol-2.08.elf"
"text-with-initrd|$d/notes.txt|-initrd $d/mid.img|linux kernel too old to load a ram disk|$d/notes.txt"
"bz-setup-past-eof|$d/bz-setup-past-eof.elf||invalid kernel header|$d/bz-setup-past-eof.elf"
"elf-no-pvh-note|$d/no-pvh-note.elf||Error loading uncompressed kernel without PVH ELF Note|$d/no-pvh-note.elf"
"elf-malformed|$d/segment-filesz-past-end.elf||Error while loading elf kernel|$d/segment-filesz-past-end.elf"
"mb-x86-64|$d/mb-x86-64-elf.elf||Cannot load x86-64 image, give a 32bit one|$d/mb-x86-64-elf.elf"
"mb-load-addr|$d/mb-header-addr-under-load.elf||invalid load_addr address|$d/mb-header-addr-under-load.elf"
"mb-load-end-addr|$d/mb-load-end-under-load.elf||invalid load_end_addr address|$d/mb-load-end-under-load.elf"
"mb-bss-end-addr|$d/mb-bss-end-under-load-end.elf||invalid bss_end_addr address|$d/mb-bss-end-under-load-end.elf"
"mb-module-missing|$d/mb-good.bin|-initrd $d/none.img|Failed to open file|$d/none.img"
)

failed=0
# check LABEL BINARY MACHINE ROW
check() {
    local label=$1 bin=$2 machine=$3 name kernel extra phrase file rc err why=
    IFS='|' read -r name kernel extra phrase file <<<"$4"
    # shellcheck disable=SC2086
    timeout 10 "$bin" -M "$machine" -m 128M -display none -no-user-config \
        -accel tcg -kernel "$kernel" $extra -S >/dev/null 2>"$d/err" </dev/null
    rc=$?
    err=$(head -c 400 "$d/err")
    if [ "$rc" != 1 ]; then why="exit status $rc"
    elif [[ "$err" != *"$phrase"* ]]; then why="no '$phrase'"
    elif [ "$label" = ours ] && [[ "$err" != *"$file"* ]]; then
        why="does not name $file"
    fi
    if [ -n "$why" ]; then
        echo "FAIL messages $label $name $machine: $why: $err"
        failed=$((failed + 1))
    else
        echo "ok messages $label $name $machine: $err"
    fi
}

for row in "${rows[@]}"; do
    for m in pc pc,direct-boot=on pc,direct-boot=off q35; do
        check ours "$qemu" "$m" "$row"
    done
    if [ -n "$stock" ]; then
        for m in pc q35; do
            check stock "$stock" "$m" "$row"
        done
    fi
done
[ -n "$stock" ] || echo "messages: no stock QEMU given, upstream's own words not checked"
exit $((failed > 0))
