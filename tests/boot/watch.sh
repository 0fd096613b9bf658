# SPDX-License-Identifier: GPL-2.0-or-later
#
# watch.sh: sourced by the boot checks and tests/kvm/rate-loop.sh.  It
# needs only a shell and busybox (the nested KVM machine has no python).
#
# watch_qemu SECONDS EVIDENCE QEMU ARGS...
# Runs QEMU with a human monitor on a pipe.  If it has not ended after
# SECONDS, writes the hung guest's state to the file EVIDENCE before
# killing it, and returns 124; else returns QEMU's own status.  The
# evidence: every vCPU's RIP, RFLAGS, halted state and general registers,
# the 16 bytes at its RIP (a spinning loop's code, for objdump), the local
# APIC's LVTs, timer, ISR and IRR (`info lapic`, the boot CPU), and the
# 8259s (`info pic`).
watch_qemu() {
    local limit=$1 evidence=$2 dir pid reader st i size
    shift 2
    dir=$(mktemp -d)
    mkfifo "$dir/mon.in" "$dir/mon.out"
    cat "$dir/mon.out" > "$dir/mon.log" &
    reader=$!
    "$@" -chardev "pipe,id=watchmon,path=$dir/mon" \
        -mon chardev=watchmon,mode=readline &
    pid=$!
    for i in $(seq $((2 * limit))); do
        kill -0 $pid 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 $pid 2>/dev/null; then
        printf 'info registers -a\ninfo lapic\ninfo pic\n' > "$dir/mon.in"
        sleep 3
        tr -d '\r' < "$dir/mon.log" |
            grep -a -o 'CPU#[0-9]*\|[RE]\(IP\|FL\|[A-DS][XIP]\)=[0-9a-f]*\|HLT=[01]' |
            tr '\n' ' ' | sed 's/ CPU#/\nCPU#/g; s/ $//' > "$evidence"
        echo >> "$evidence"
        tr -d '\r' < "$dir/mon.log" |
            grep -a '^LVT0\|^LVTT\|^Timer\|^ISR\|^IRR\|^pic[01]:' |
            tr -s ' \t' ' ' >> "$evidence"
        # The code each vCPU runs: HMP's x at that CPU's $pc
        size=$(wc -c < "$dir/mon.log")
        for i in $(grep -o '^CPU#[0-9]*' "$evidence" | tr -d 'CPU#'); do
            printf 'cpu %s\nx /16bx $pc\n' "$i"
        done > "$dir/mon.in"
        sleep 2
        tail -c +$((size + 1)) "$dir/mon.log" | tr -d '\r' |
            grep -a '^[0-9a-f]*: 0x' | sed 's/^/code /' >> "$evidence"
        kill $pid 2>/dev/null
        wait $pid 2>/dev/null
        st=124
    else
        wait $pid && st=0 || st=$?
    fi
    kill $reader 2>/dev/null
    wait $reader 2>/dev/null
    rm -rf "$dir"
    return $st
}

# hang_summary EVIDENCE: the evidence on one line
hang_summary() {
    grep -v '^$' "$1" | sed 's/^\(LVT0\|LVTT\|Timer\|ISR\|IRR\) /\1: /' |
        tr '\n' ';' | sed 's/;/; /g; s/; $//'
}
