#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# platform-test.sh QEMU GUESTDIR MACHINE KIND: the machine as the kernel
# finds it, firmware path against direct path.  The platform probe
# (platform.c; KIND pvh: platform.elf, KIND mb: the multiboot
# platform-mb.elf) dumps the 8259s, the edge/level registers, the PCI
# interrupt routing, the local APIC and IOAPIC, the PIT, the RTC and
# every PCI function's resources, checks every BAR against the rules
# (sized as a guest sizes it: an address, aligned, decode on, inside
# the DSDT's ranges and its bridges' windows, no overlap) and that edu
# answers at its BAR,
# then raises IRQ 11 through pc-testdev and reports the vector it
# arrives at, with an IDT in protected mode and with the IVT in real
# mode.  It runs with direct-boot=off (SeaBIOS) and with direct-boot=on,
# on a machine with edu, pci-testdev (a 64-bit 4 GiB BAR) and a PCI
# bridge with an e1000 behind it (q35: two root ports more); the two
# dumps must agree field by
# field except where platform-differences.txt names the field and the
# reason.  On the direct path edu must answer at its BAR (as a guest
# that assigns nothing reads it), IRQ 11 must arrive at vector 0x73 in
# both modes and, under TCG, the first block executed must be the
# kernel's entry.  PVH_ACCEL=kvm runs both under KVM.  Prints one line.
set -euo pipefail
qemu=$1 dir=$2 machine=$3 kind=$4
src=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
accel=${PVH_ACCEL:-tcg}
name="platform $kind $machine${PVH_ACCEL:+ [$PVH_ACCEL]}"
file=$dir/platform.elf sym=pvh_entry
[ "$kind" = pvh ] || file=$dir/platform-mb.elf sym=mb_entry
fail() { echo "FAIL $name: $*"; exit 1; }

# q35 also gets two PCI Express root ports that ask firmware for larger
# windows (QEMU's resource reserve capability)
ports=()
[ "$machine" != q35 ] ||
    ports=(-device pcie-root-port,chassis=2,addr=6,mem-reserve=8M
           -device pcie-root-port,chassis=3,addr=7,pref64-reserve=64M)
probe() {  # probe PATH OUT [QEMU OPTION...]
    local path=$1 out=$2 rc=0
    shift 2
    timeout 120 "$qemu" -M "$machine,direct-boot=$path" -accel "$accel" \
        -m 512 -display none -no-user-config -nic none -serial none \
        -monitor none -kernel "$file" -debugcon "file:$out" \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -device pc-testdev \
        -device edu -device pci-testdev,membar=4G \
        -device pci-bridge,id=br,chassis_nr=1 \
        -netdev hubport,id=n,hubid=0 -device e1000,bus=br,addr=3,netdev=n \
        "${ports[@]}" "$@" 2>"$out.err" || rc=$?
    # isa-debug-exit: the probe writes 0, QEMU exits (0 << 1) | 1
    [ "$rc" = 1 ] && grep -q '^platform-probe end$' "$out" ||
        fail "direct-boot=$path: QEMU exit status $rc, $(grep -v 'hub 0' "$out.err" | head -n 1)"
}
probe off "$tmp/firmware"
exec_log=()
[ "$accel" != tcg ] || exec_log=(-d exec,nochain -D "$tmp/exec.log")
probe on "$tmp/direct" "${exec_log[@]}"

# Field by field: "name value" lines, the value the last word (awk and
# sort only: the nested KVM machine has busybox's)
fields() {
    awk '$NF ~ /^0x[0-9a-f]+$/ { v = $NF; sub(/ [^ ]*$/, ""); print $0 "\t" v }' "$1"
}
awk -F'\t' 'NR == FNR { fw[$1] = $2; next } { d[$1] = $2 }
    END {
        for (k in fw) if (!(k in d)) print k "\t" fw[k] "\tmissing"
        for (k in d) if (!(k in fw)) print k "\tmissing\t" d[k]
                     else if (fw[k] != d[k]) print k "\t" fw[k] "\t" d[k]
    }' <(fields "$tmp/firmware") <(fields "$tmp/direct") | sort > "$tmp/diff"
total=$(fields "$tmp/firmware" | wc -l)
grep -v '^#' "$src/platform-differences.txt" | grep . |
    awk -v a="$accel" -v m="$machine" '{ n = split($1, w, ":") }
        (w[1] == a || w[1] == "any") && (n == 1 || w[2] == m)' > "$tmp/allowed" || true
unnamed=() used=()
while IFS=$'\t' read -r f fw direct; do
    why=
    while read -r acc rest; do
        re=${rest%% -- *}
        if [[ $f =~ ^($re)$ ]]; then why=${rest#* -- }; used+=("$re"); break; fi
    done < "$tmp/allowed"
    [ -n "$why" ] || unnamed+=("$f: firmware $fw, direct $direct")
done < "$tmp/diff"
[ ${#unnamed[@]} = 0 ] ||
    fail "$(printf '%s; ' "${unnamed[@]}")not in platform-differences.txt"
while read -r acc rest; do
    re=${rest%% -- *}
    printf '%s\n' "${used[@]}" | grep -qxF -- "$re" ||
        fail "platform-differences.txt names '$re' but no such field differs: remove the line"
done < "$tmp/allowed"
grep -q '^pci bar rule errors 0x0$' "$tmp/direct" ||
    fail "BARs that break the rules (address, alignment, decode, windows, overlap): $(grep '^pci bar' "$tmp/direct" | tr '\n' ' ')"
grep -q '^edu alive 0x1$' "$tmp/direct" ||
    fail "edu does not answer at its BAR: $(grep '^edu' "$tmp/direct")"
grep -q '^irq11 vector 0x73$' "$tmp/direct" ||
    fail "IRQ 11 did not arrive at vector 0x73: $(grep '^irq11' "$tmp/direct" | tr '\n' ' ')"
grep -q '^irq11 real mode vector 0x73$' "$tmp/direct" ||
    fail "IRQ 11 did not arrive at IVT vector 0x73 in real mode: $(grep '^irq11 real' "$tmp/direct" | tr '\n' ' ')"
if [ "$accel" = tcg ]; then
    entry=$(nm "$file" | awk -v s="$sym" '$3 == s { print $1 }')
    first=$(grep -m1 '^Trace' "$tmp/exec.log" | sed 's/.*\[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/')
    [ "$((16#$first))" = "$((16#$entry))" ] ||
        fail "first executed block at 0x$first, the kernel entry is 0x$entry"
fi
echo "ok $name: $((total - $(wc -l < "$tmp/diff"))) of $total fields as firmware leaves them, $(wc -l < "$tmp/diff") named differences; $(($(awk '/^pci bars checked/ { print $NF }' "$tmp/direct"))) BARs keep the rules; edu answers at its BAR; IRQ 11 at vector 0x73, in protected and real mode"
