#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh QEMU GUESTDIR KERNELDIR INITRDDIR [FILTER]
# Real KVM without /dev/kvm: QEMU (under TCG, which emulates AMD-V with
# nested paging) boots Debian's 6.12 vmlinux through the PVH direct path;
# its initramfs (make-rootfs.sh) loads kvm_amd and runs checks.sh, which
# runs the same QEMU binary with -accel kvm and with Xen emulation.
# Prints the ok/FAIL lines of the nested run, then its own.  FILTER runs
# only the checks whose label contains it.
#
# The nested host kernel used to crash or hang now and then under TCG's
# nested SVM (a page fault entry that finds no current task; a console
# silent for minutes; a CPU stuck in a soft lockup; a triple fault):
# TCG's IGNNE# race on the first CPU's hflags2, which the series fixes
# (tests/README.md).  If it still does, the checks it did not reach run
# once more in a fresh nested machine, and the closing line says so.
set -euo pipefail
qemu=$1 guests=$2 kdir=$3 initrds=$4 filter=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
# The run stops at PVH_KVM_STOP seconds (default 2400) and starts no
# fresh nested machine in its last 300: scripts/test.sh passes what is
# left of CI's 90 minutes
stop=${PVH_KVM_STOP:-2400}
fresh=$((stop - 300))
# What a nested host kernel that crashed or hung leaves on its console
crashed='Kernel panic\|Oops\|^KVM-HUNG'

bash "$here/make-rootfs.sh" "$tmp/rootfs.cpio" "$qemu" "$guests" "$kdir" "$initrds"

nested() {  # nested SKIP: boot the nested machine, its console in $tmp/log
    local pid quiet=0
    : > "$tmp/serial"
    "$qemu" -M q35 -accel "${PVH_KVM_OUTER_ACCEL:-tcg}" -cpu EPYC,+svm,+npt -m 3G -smp 2 \
        -display none -no-user-config -nic none -no-reboot \
        -kernel "$kdir/linux-6.12.vmlinux" -initrd "$tmp/rootfs.cpio" \
        -append "console=ttyS0 quiet panic=-1${filter:+ pvh.kvm_checks=${filter// /,}} pvh.kvm_skip=$1 pvh.kvm_restart=$restart pvh.kvm_gdb=${PVH_KVM_GDB:-0}${PVH_KVM_HOST_APPEND:+ $PVH_KVM_HOST_APPEND}" \
        -serial "file:$tmp/serial" 2>"$tmp/stderr" & pid=$!
    # checks.sh prints a heartbeat every 20 s.  A hang is 120 s without
    # a sign of life from user space (240 s while the nested kernel
    # boots): a heartbeat, or a check's ok/FAIL line.  Counting bytes
    # is not enough: a nested kernel stuck in a soft lockup keeps
    # printing its watchdog's warnings while no task runs (seen once, for
    # 30 minutes).  A hang is also 600 s without a check's ok/FAIL line
    # (the slowest check takes ~80 s there): on 2026-12-03 a nested host
    # kept its heartbeat for 19 minutes, idle, while a check that passes
    # in 76 s on a fresh one never ended.
    local alive=0 n limit=240 checks=0 c last=$SECONDS
    while kill -0 $pid 2>/dev/null; do
        sleep 5
        n=$(grep -ac '^KVM-ALIVE\|^ok \|^FAIL' "$tmp/serial" || true)
        if [ "$n" = "$alive" ]; then
            quiet=$((quiet + 5))
        else
            alive=$n quiet=0 limit=120
        fi
        c=$(grep -ac '^ok \|^FAIL' "$tmp/serial" || true)
        [ "$c" = "$checks" ] || checks=$c last=$SECONDS
        if [ $quiet -ge $limit ]; then
            echo "KVM-HUNG: no sign of life from its user space for $quiet s" >> "$tmp/serial"
            kill $pid 2>/dev/null || true
            break
        fi
        if [ $((SECONDS - last)) -ge "${PVH_KVM_CHECK_LIMIT:-600}" ]; then
            echo "KVM-HUNG: no check finished for $((SECONDS - last)) s" >> "$tmp/serial"
            kill $pid 2>/dev/null || true
            break
        fi
        if [ $((SECONDS - start)) -ge "$stop" ]; then
            echo "KVM-HUNG: still running after $((SECONDS - start)) s" >> "$tmp/serial"
            kill $pid 2>/dev/null || true
            break
        fi
    done
    local st=0
    wait $pid || st=$?
    # -no-reboot: a nested kernel that triple-faults (or reboots) ends
    # the outer QEMU without a word on its console (seen once, after two
    # other crashes in the same run); that is a crash too
    if ! grep -aq "^KVM-DONE\\|$crashed" "$tmp/serial"; then
        echo "KVM-HUNG: the nested machine stopped (status $st) without finishing" >> "$tmp/serial"
    fi
    tr -d '\r' < "$tmp/serial" >> "$tmp/log"
    # PVH_KVM_LOG=FILE keeps every nested machine's whole console, one
    # after the other (a crash is in the log of the machine it ended)
    [ -z "${PVH_KVM_LOG:-}" ] || cat "$tmp/serial" >> "$PVH_KVM_LOG"
}

# The checks' own lines (the first "ok kvm:" line is the machine's)
results() { grep -a '^ok\|^FAIL\|^    ' "$tmp/log" | grep -v '^ok kvm: /dev/kvm' || true; }

# A crash or hang of the nested host kernel (not of the checks) starts
# a fresh nested machine that skips the checks already done, up to
# PVH_KVM_MACHINES (default 3; it was 10 while TCG's IGNNE# race
# crashed the nested host in most runs) machines in all, started before
# $fresh s; each restart is printed.  The whole run stops at $stop s,
# which keeps CI inside its 90 minutes.
# So does, once per run, a check that failed twice in one nested
# machine (KVM-RESTART from checks.sh): a nested host that went wrong
# under TCG fails every try it runs (a CI run once failed a check twice,
# then the next once, in one machine; the same check passed 14 times out
# of 14 in fresh ones).  The fresh machine gives the check its third try
# and, with pvh.kvm_restart=0, the last: a second failure there is its
# FAIL line.
retried= done_checks=0 machines=1 restart=1
# Whatever ends this script early says so: a silent end would read as
# fewer checks, none failed
finished=
trap 'rc=$?; rm -rf "$tmp"
      [ -n "$finished" ] || echo "FAIL kvm: run.sh ended early, status $rc"' EXIT
nested 0
restart_why() { grep -a -m1 '^KVM-RESTART' "$tmp/log" | sed 's/^KVM-RESTART: //'; }
again() {  # the last nested machine asks for a fresh one
    grep -aq '^KVM-RESTART' "$tmp/log" ||
        { ! grep -aq '^KVM-DONE' "$tmp/log" && grep -aq "$crashed" "$tmp/log"; }
}
while again &&
      [ $machines -lt "${PVH_KVM_MACHINES:-3}" ] && [ $((SECONDS - start)) -lt "$fresh" ]; do
    done_checks=$((done_checks + $(results | grep -c '^ok\|^FAIL' || true)))
    if grep -aq '^KVM-RESTART' "$tmp/log"; then
        retried="$retried, restarted after $(restart_why)"
        restart=0
    else
        # (|| true: a log with "Kernel panic" alone used to end this
        # script here, silently, under set -e and pipefail)
        why=$(grep -a -m1 'BUG:\|Oops\|Kernel panic\|^KVM-HUNG' "$tmp/log" |
              sed 's/^\[ *[0-9.]*\] //' || true)
        retried="$retried, restarted after a crash of the nested host kernel ($why)"
    fi
    [ $machines -gt 1 ] || grep -a -m1 '^ok kvm: /dev/kvm' "$tmp/log" || true
    results
    : > "$tmp/log"
    machines=$((machines + 1))
    nested "$done_checks"
done
[ $machines -gt 1 ] || grep -a -m1 '^ok kvm: /dev/kvm' "$tmp/log" || true
results
finished=1
# A check handed to a fresh machine that could not be started
if grep -aq '^KVM-RESTART' "$tmp/log"; then
    echo "FAIL $(restart_why), and no fresh nested machine was left ($machines started, $((SECONDS - start)) s)"
fi
# checks.sh that stopped early (a shell error) leaves the rest unrun
if grep -aq '^KVM-DONE' "$tmp/log" && ! grep -aq '^KVM-CHECKS-END\|^KVM-RESTART' "$tmp/log"; then
    echo "FAIL kvm: checks.sh stopped before its end"
    grep -a -B3 '^KVM-DONE' "$tmp/log" | grep -v '^KVM-\|^ok \|^FAIL' | sed 's/^/    /'
fi
if ! grep -aq '^KVM-DONE' "$tmp/log"; then
    echo "FAIL kvm: the nested machine did not finish ($((SECONDS - start)) s$retried)"
    tail -n 30 "$tmp/log" | sed 's/^/    /'
    grep -v "TCG doesn't support" "$tmp/stderr" | sed 's/^/    /'
    exit 1
fi
echo "ok kvm: nested machine done in $((SECONDS - start)) s$retried"
