#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# image-test.sh QEMU IMAGE MACHINE TEST
# bzImage-format images that are not Linux, as Debian ships them:
#   memtest   memtest86+x64.bin (protocol 2.12, no BIOS calls) boots with
#             no firmware: the first block executed is its 32-bit entry
#             (1 MiB), its banner and the guest's RAM size reach the
#             serial console, SeaBIOS's debug port stays silent
#   ipxe      ipxe.lkrn (protocol 2.07, code32_start 0: its 16-bit setup
#             calls the BIOS) takes the firmware path on auto: SeaBIOS
#             boots it through linuxboot_dma.bin; with direct-boot=on it
#             is refused with one line and status 1
#   multiboot a multiboot kernel (IMAGE: tests/guest's guestmb.elf) takes
#             the firmware path on auto, as before: SeaBIOS boots it
#             through multiboot_dma.bin, with two modules given, and the
#             direct loader stays out (but reads the BIOS file it put off)
#             (direct-boot=on boots it directly: tests/guest/run.sh)
# Prints one line; exit status 0 on success.
set -euo pipefail
qemu=$1 image=$2 machine=$3 test=$4
name="$(basename "$image") $machine $test"
tmp=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL $name: $*"; exit 1; }
args=(-M "$machine" -m 256M -display none -no-user-config -nic none
      -kernel "$image" -serial "file:$tmp/serial"
      -chardev "file,id=fw,path=$tmp/firmware"
      -device isa-debugcon,iobase=0x402,chardev=fw)
# Wait (up to 240 s) until $1 is in file $2, while QEMU runs
wait_for() {
    local _
    for _ in $(seq 480); do
        grep -aq -- "$1" "$2" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }

case $test in
memtest)
    "$qemu" "${args[@]}" -append "console=ttyS0,115200" \
        -d exec,nochain -D "$tmp/exec.log" 2>"$tmp/stderr" & pid=$!
    wait_for 'Memtest86+ v' "$tmp/serial" || fail "no banner: $(head -c 300 "$tmp/stderr")"
    wait_for 'Memory  :  256MB' "$tmp/serial" || fail "RAM size not shown"
    stop
    first=$(grep -m1 '^Trace' "$tmp/exec.log" | sed 's/.*\[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/')
    [ "$((16#${first:-0}))" = $((0x100000)) ] || fail "first block at 0x$first, not 0x100000"
    [ ! -s "$tmp/firmware" ] || fail "firmware printed on port 0x402"
    ! grep -aq SeaBIOS "$tmp/serial" || fail "SeaBIOS output on the serial port"
    ;;
ipxe)
    "$qemu" "${args[@]}" -trace pvh_direct_linux 2>"$tmp/stderr" & pid=$!
    wait_for 'Booting from ROM' "$tmp/firmware" || fail "SeaBIOS did not boot it"
    stop
    grep -aq 'linuxboot_dma.bin' "$tmp/firmware" || fail "not through linuxboot_dma.bin"
    ! grep -q pvh_direct_linux "$tmp/stderr" || fail "the direct loader took it"
    rc=0
    timeout 60 "$qemu" "${args[@]}" -M "$machine,direct-boot=on" 2>"$tmp/err" || rc=$?
    [ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
        grep -q "code32_start is 0x0, not 0x100000" "$tmp/err" ||
        fail "direct-boot=on: status $rc: $(head -c 300 "$tmp/err")"
    ;;
multiboot)
    # Two modules with command lines: a module list, not one file name
    "$qemu" "${args[@]}" -initrd "$image mod0 a=1,$image mod1" \
        -trace 'pvh_direct_*' 2>"$tmp/stderr" & pid=$!
    wait_for 'Booting from ROM' "$tmp/firmware" || fail "SeaBIOS did not boot it"
    stop
    grep -aq 'multiboot_dma.bin' "$tmp/firmware" || fail "not through multiboot_dma.bin"
    # The BIOS file is read for it; nothing else of the direct path runs
    grep -q 'pvh_direct_bios_fill .* for firmware boot' "$tmp/stderr" ||
        fail "the BIOS was not loaded for the firmware boot"
    ! grep -v pvh_direct_bios_fill "$tmp/stderr" | grep -q pvh_direct ||
        fail "the direct loader took it"
    ;;
*) echo "unknown test $test" >&2; exit 2 ;;
esac
echo "ok $name"
