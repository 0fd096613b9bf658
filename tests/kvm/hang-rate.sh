#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# hang-rate.sh QEMU GUESTDIR KERNELDIR INITRDDIR [SECONDS] [N]
# A measurement, not a test (issue 29): how often does Linux hang on
# the direct path, and on the firmware path of the same binary?  Boots
# one configuration N times per path, alternating (tests/kvm/rate-loop.sh),
# again and again until SECONDS have passed (default 1800):
# - under nested KVM (default): in nested machines as tests/kvm/run.sh
#   starts them (checks.sh's pvh.kvm_rate=N); a nested host that crashes
#   or goes silent ends its machine, and the next one starts;
# - under TCG on this host (PVH_RATE_ACCEL=tcg).
# The configuration: PVH_RATE_KERNEL (a file of KERNELDIR; default
# linux-6.12.vmlinux), PVH_RATE_MACHINE (default q35), PVH_RATE_QUIET
# (quiet, or - for a full console; default quiet); always -smp 2.
# Prints every boot's line (and each hang's evidence), then per path
# the boots, inits, hangs (no init in 120 s) and other ends, and
# Fisher's exact test (two-sided) on hangs, direct against firmware.
# PVH_KVM_LOG=FILE keeps every nested machine's whole console and the
# outer QEMU's messages (a crash of the nested host is in the log of
# the machine it ended).
set -euo pipefail
qemu=$1 guests=$2 kdir=$3 initrds=$4 budget=${5:-1800} n=${6:-25}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=
start=$SECONDS
rk=${PVH_RATE_KERNEL:-linux-6.12.vmlinux} rmach=${PVH_RATE_MACHINE:-q35}
rq=${PVH_RATE_QUIET:-quiet}
echo "hang-rate: $rk on $rmach, -smp 2, ${rq/-/full console}, ${PVH_RATE_ACCEL:-nested kvm}, $n boots per path per round, ${budget} s"
: > "$tmp/lines"
machines=0 crashes=0
# What a nested host kernel that crashed leaves on its console
oops='Oops\|BUG:\|Kernel panic'
if [ "${PVH_RATE_ACCEL:-kvm}" = tcg ]; then
    while [ $((SECONDS - start)) -lt "$budget" ]; do
        bash "$here/rate-loop.sh" "$qemu" "$kdir/$rk" "$initrds/${rk%.*}-initramfs.cpio.gz" \
            "$rmach" "$n" tcg "$rq" | tee -a "$tmp/lines"
    done
else
bash "$here/make-rootfs.sh" "$tmp/rootfs.cpio" "$qemu" "$guests" "$kdir" "$initrds"
while [ $((SECONDS - start)) -lt "$budget" ]; do
    machines=$((machines + 1))
    : > "$tmp/serial"
    "$qemu" -M q35 -accel tcg -cpu EPYC,+svm,+npt -m 3G -smp 2 \
        -display none -no-user-config -nic none -no-reboot \
        -kernel "$kdir/linux-6.12.vmlinux" -initrd "$tmp/rootfs.cpio" \
        -append "console=ttyS0 quiet panic=-1 pvh.kvm_rate=$n pvh.kvm_rate_kernel=$rk pvh.kvm_rate_machine=$rmach pvh.kvm_rate_quiet=$rq" \
        -serial "file:$tmp/serial" 2>"$tmp/stderr" & pid=$!
    seen=0 quiet=0 cut=
    while kill -0 $pid 2>/dev/null; do
        sleep 5
        c=$(grep -ac '^KVM-RATE\|^KVM-ALIVE' "$tmp/serial" || true)
        if [ "$c" = "$seen" ]; then quiet=$((quiet + 5)); else seen=$c quiet=0; fi
        # a boot takes at most 120 s; 300 s without a line is a dead host,
        # and so is one whose kernel oopsed (it can limp on for minutes
        # before it panics)
        if [ $quiet -ge 300 ] || grep -aq "$oops" "$tmp/serial"; then
            sleep 5
            kill $pid 2>/dev/null || true
            break
        fi
        # the time is up: the boot in progress is not counted, the
        # machine did not crash
        if [ $((SECONDS - start)) -ge $((budget + 300)) ]; then
            cut=1
            kill $pid 2>/dev/null || true
            break
        fi
    done
    wait $pid 2>/dev/null || true
    tr -d '\r' < "$tmp/serial" | grep -a '^KVM-RATE' | tee -a "$tmp/lines" || true
    [ -z "${PVH_KVM_LOG:-}" ] || cat "$tmp/serial" "$tmp/stderr" >> "$PVH_KVM_LOG"
    if [ -n "$cut" ]; then
        echo "nested host $machines stopped at the time budget"
    elif ! grep -aq '^KVM-DONE' "$tmp/serial"; then
        crashes=$((crashes + 1))
        echo "nested host $machines ended early: $(grep -a -m1 "$oops" "$tmp/serial" |
            sed 's/^\[ *[0-9.]*\] //' || echo 'silent')"
    fi
done
echo "$machines nested machines, $crashes ended early, $((SECONDS - start)) s"
fi
/usr/bin/python3 - "$tmp/lines" <<'EOF'
import math
import sys

rows = [l.split() for l in open(sys.argv[1]) if l.startswith('KVM-RATE ')]
count = {p: {'boots': 0, 'init': 0, 'hang': 0, 'other': 0} for p in ('direct', 'firmware')}
for _, path, _, result, _, _ in rows:
    count[path]['boots'] += 1
    count[path][result] += 1
for p, c in count.items():
    print(f"{p}: {c['boots']} boots, {c['init']} init, {c['hang']} hangs, {c['other']} other")


def fisher(a, b, c, d):
    """Two-sided Fisher's exact test of the 2x2 table [[a, b], [c, d]]"""
    n, r1, c1 = a + b + c + d, a + b, a + c
    def p(x):
        return math.comb(r1, x) * math.comb(n - r1, c1 - x) / math.comb(n, c1)
    p0 = p(a)
    lo, hi = max(0, c1 - (n - r1)), min(r1, c1)
    return min(1.0, sum(p(x) for x in range(lo, hi + 1) if p(x) <= p0 * (1 + 1e-9)))


d, f = count['direct'], count['firmware']
if d['boots'] and f['boots']:
    print('Fisher exact, hangs direct vs firmware: p = %.3g' %
          fisher(d['hang'], d['boots'] - d['hang'], f['hang'], f['boots'] - f['hang']))
EOF
