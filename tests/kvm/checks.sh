#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# checks.sh: run inside the nested machine by tests/kvm/init, with real
# KVM (kvm_amd on the TCG-emulated AMD-V CPU).  The same test scripts as
# under TCG, with PVH_ACCEL set; one ok/FAIL line per check.
#   kvm: the PVH test guests (ELF32/ELF64 x pc/q35, 3 reboots each) and
#        the platform probe (firmware path against direct path);
#        Debian 6.1 and 6.12 with -smp 2, each on pc and q35, every
#        boot with every CPU online and its ACPI tables: 3 guest
#        reboots, QMP system_reset, poweroff with status 0, parity with
#        the firmware path; 6.12 with pvh-kaslr=on moves between boots;
#        both as bzImages (the Linux 32-bit entry): 3 reboots with the
#        decompressor's KASLR, and parity for 6.12
#   xen: the same guests and Linux (vmlinux, and 6.12's bzImage) to init
#        and poweroff under Xen
#        emulation (-accel kvm,xen-version=...,kernel-irqchip=split)
# pvh.kvm_checks=WORDS (outer command line, words joined by commas)
# narrows the run to the checks whose label contains them;
# pvh.kvm_skip=N skips the first N checks (run.sh's retry after a crash
# of the nested machine).
# pvh.kvm_restart=1: a check that fails twice stops this machine with
# KVM-RESTART instead of a FAIL line, and run.sh gives it a third try in
# a fresh nested machine (started with pvh.kvm_restart=0).
set -uo pipefail
t=/pvh/src/tests
k=/pvh/kernels
qemu=/pvh/qemu
only=$(sed -n 's/.*pvh.kvm_checks=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
skip=$(sed -n 's/.*pvh.kvm_skip=\([0-9]*\).*/\1/p' /proc/cmdline)
restart=$(sed -n 's/.*pvh.kvm_restart=\([0-9]*\).*/\1/p' /proc/cmdline)
booted=$(cut -d' ' -f1 /proc/uptime)
index=0
if grep -q 'pvh.kvm_gdb=1' /proc/cmdline; then
    # Debugging a crash (make-rootfs.sh with PVH_KVM_GDB=1)
    printf '#!/bin/sh\nexec gdb -q -batch -ex "handle SIGUSR1 SIGUSR2 SIGPIPE nostop noprint pass" -ex run -ex bt --args %s "$@"\n' \
        "/pvh/qemu-system-x86_64 -L /pvh/share" > $qemu
else
    printf '#!/bin/sh\nexec /pvh/qemu-system-x86_64 -L /pvh/share "$@"\n' > $qemu
fi
chmod +x $qemu
# A heartbeat: tests/kvm/run.sh takes a silent console for a hung
# nested host
(while sleep 20; do echo KVM-ALIVE; done) &
export PVH_SMP=2
# Every console byte is an exit to the nested QEMU: keep Linux quiet
export PVH_APPEND=quiet
accel_kvm=kvm
accel_xen=kvm,xen-version=0x4000a,kernel-irqchip=split

# What this nested host's kernel said about its clocks and its CPUs,
# printed under a failed try: on 2026-12-04 a CI run failed one check
# twice in a row (6.12 kaslr: the third boot's CPU 0 took no timer
# interrupt for minutes, RCU stalls, soft lockups), and the check after
# it once; a nested host's clock was also seen to jump by 9,250 s
host_state() {
    echo "    nested host: clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null), up $(cut -d' ' -f1 /proc/uptime) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
    local said
    said=$(dmesg | awk -F'[][]' -v t0="$booted" '$2 + 0 >= t0' |
           grep -ai 'unstable\|skew\|watchdog\|stall\|lockup\|hung\|clocksource\|BUG\|WARNING\|kvm' |
           tail -n 6)
    echo "${said:-(its kernel said nothing of clocks, stalls, lockups or warnings since the checks began)}" |
        sed 's/^/    host: /'
}

# check LABEL COMMAND...: run a test script that prints its own line.
# A check that fails runs once more (the nested host under TCG is not
# perfectly stable); a pass on the retry says what the first run saw.
# A second failure, with pvh.kvm_restart=1, hands the check to a fresh
# nested machine (run.sh); without it, it is the check's FAIL line.
first_fail() { grep -m1 'FAIL' <<<"$1" | sed 's/^ *//'; }
check() {
    local label=$1 out rc start=$SECONDS first=
    shift
    [[ -z $only || $label == *"$only"* ]] || return 0
    index=$((index + 1))
    [ "$index" -gt "${skip:-0}" ] || return 0
    for try in 1 2; do
        out=$("$@" 2>&1); rc=$?
        if [ $rc = 0 ] && ! grep -q '^FAIL' <<<"$out"; then
            echo "ok $label ($((SECONDS - start)) s$first): $(tail -n 1 <<<"$out" | sed 's/^ok //')"
            return 0
        fi
        first=", retried once after: $(first_fail "$out")"
        [ $try = 2 ] || { echo "    first try of $label:"; tail -n 25 <<<"$out" | sed 's/^/    /'; host_state; }
    done
    if [ "${restart:-0}" = 1 ]; then
        echo "    second try of $label:"
    else
        echo "FAIL $label (status $rc, $((SECONDS - start)) s, failed twice)"
    fi
    head -n 40 <<<"$out" | sed 's/^/    /'
    [ "${restart:-0}" = 1 ] || return 0
    host_state
    echo "KVM-RESTART: $label failed twice ($(first_fail "$out" | grep . || echo "status $rc"))"
    exit 0
}

guests() {  # guests TAG ACCEL MACHINES...
    local tag=$1 accel=$2 g m
    shift 2
    for m in "$@"; do
        for g in guest32 guest64 guestbz guestmb guestmb-aout guestpz-zstd; do
            check "$tag guest $g $m" env PVH_ACCEL="$accel" \
                bash $t/guest/run.sh $qemu /pvh/guest $g $m
        done
        # The machine as firmware leaves it, firmware path against
        # direct (under KVM: Xen emulation's firmware path is not ours)
        [ "$tag" = kvm ] || continue
        for g in pvh mb; do
            check "$tag guest platform-$g $m" env PVH_ACCEL="$accel" \
                bash $t/guest/platform-test.sh $qemu /pvh/guest $m $g
        done
    done
}

linux() {  # linux TAG ACCEL KERNEL MACHINE TEST [FORMAT]
    local f=${6:-vmlinux}
    check "$1 ${3#linux-}${6:+ $6} $4 $5" env PVH_ACCEL="$2" PVH_TAG="$1" \
        bash $t/boot/boot-test.sh $qemu $k/$3.$f \
        $k/$3-initramfs.cpio.gz "$4" "$5"
}

# pvh.kvm_count=N (not a test): boot 6.12 under Xen emulation with
# -smp 2 N times on each path and print how many CPUs each boot had
count=$(sed -n 's/.*pvh.kvm_count=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$count" ]; then
    for path in direct firmware; do
        opts=$([ $path = firmware ] && echo ",pvh-direct=off")
        for i in $(seq "$count"); do
            timeout 240 $qemu -M "q35$opts" -accel $accel_xen -m 512M -smp 2 \
                -display none -no-user-config -device isa-debug-exit \
                -kernel $k/linux-6.12.vmlinux -initrd $k/linux-6.12-initramfs.cpio.gz \
                -append "console=ttyS0 quiet pvh.action=exit" -serial stdio \
                > /tmp/count.log 2>&1
            echo "KVM-COUNT $path $i: $(tr -d '\r' < /tmp/count.log | grep -a '^PVH-CPUS' || echo none) $(grep -ac 'Unable to read cpu state' /tmp/count.log) hotplug-errors"
        done
    done
    exit 0
fi

# pvh.kvm_rate=N (not a test; tests/kvm/hang-rate.sh): boot a kernel
# N times on each path, alternating, with -smp 2, one KVM-RATE line per
# boot (tests/kvm/rate-loop.sh); pvh.kvm_rate_kernel= (default
# linux-6.12.vmlinux), pvh.kvm_rate_machine= (q35), pvh.kvm_rate_quiet=
# (quiet, or - for a full console)
rate=$(sed -n 's/.*pvh.kvm_rate=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$rate" ]; then
    arg() { sed -n "s/.*pvh.kvm_rate_$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
    rk=$(arg kernel) rmach=$(arg machine) rq=$(arg quiet)
    rk=${rk:-linux-6.12.vmlinux}
    bash $t/kvm/rate-loop.sh $qemu $k/$rk $k/${rk%.*}-initramfs.cpio.gz \
        "${rmach:-q35}" "$rate" kvm "${rq:-quiet}"
    exit 0
fi

guests kvm $accel_kvm pc q35
# Each kernel on each machine type reaches init; reboots and QMP resets
# on one machine type per kernel, poweroff on the other
linux kvm $accel_kvm linux-6.1 pc reboot
linux kvm $accel_kvm linux-6.12 q35 reboot
linux kvm $accel_kvm linux-6.1 pc qmp-reset
linux kvm $accel_kvm linux-6.12 q35 qmp-reset
linux kvm $accel_kvm linux-6.1 q35 poweroff
linux kvm $accel_kvm linux-6.12 pc poweroff
# microvm with no firmware: its ACPI tables, virtio-mmio, 3 reboots; GED
# poweroff; the tiny guests
linux kvm $accel_kvm linux-6.12 microvm,direct-boot=on devices
linux kvm $accel_kvm linux-6.1 microvm,direct-boot=on devices bzImage
linux kvm $accel_kvm linux-6.1 microvm,direct-boot=on poweroff
for g in guest64 guestbz guestmb; do
    check "kvm guest $g microvm" env PVH_ACCEL=$accel_kvm \
        bash $t/guest/run.sh $qemu /pvh/guest $g microvm,direct-boot=on
done
# Physical KASLR under KVM: 6.12 (PHYS32_RELOC) moves between boots
linux kvm $accel_kvm linux-6.12 q35 kaslr
for kern in linux-6.1 linux-6.12; do
    m=$([ $kern = linux-6.1 ] && echo pc || echo q35)
    check "kvm ${kern#linux-} $m parity" env PVH_ACCEL=$accel_kvm PVH_TAG=kvm \
        PVH_MEM=1G bash $t/boot/parity-test.sh $qemu $k/$kern.vmlinux \
        $k/$kern-initramfs.cpio.gz $m
done

# bzImages through the Linux 32-bit boot protocol
linux kvm $accel_kvm linux-6.1 pc bzkaslr bzImage
linux kvm $accel_kvm linux-6.12 q35 bzkaslr bzImage
check "kvm 6.12 bzImage pc parity" env PVH_ACCEL=$accel_kvm PVH_TAG=kvm \
    PVH_MEM=1G PVH_APPEND="quiet nokaslr" bash $t/boot/parity-test.sh $qemu \
    $k/linux-6.12.bzImage $k/linux-6.12-initramfs.cpio.gz pc

guests xen $accel_xen pc q35
linux xen $accel_xen linux-6.1 pc poweroff
linux xen $accel_xen linux-6.12 q35 poweroff
linux xen $accel_xen linux-6.12 pc poweroff bzImage
echo "KVM-CHECKS-END: $index checks"
