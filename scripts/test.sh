#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's test command: builds what is missing (idempotent), runs
# every test and ends with the totals line "N passed, M failed".
#   unit      pure-core unit tests (meson), plain and under ASan+UBSan
#   guest     tiny PVH guests (ELF32/ELF64 x pc/q35) under TCG
#   fuzz      libFuzzer (ASan+UBSan) over the parser, layout and ACPI
#             linker, PVH_FUZZ_SECONDS each (default 60)
#   soak      600 QMP system_resets of a test guest that checks its image,
#             bss and start_info each time; QEMU's anonymous memory stays
#             flat, and 8 kB kept per reset is caught
#   qtest     tests/qtest/pvh-test and tests/unit/test-pvh-* inside the
#             QEMU tree
#   malformed the malformed-kernel corpus through QEMU, and upstream's
#             messages for bad -kernel/-initrd/-dtb kept on every path
#   series    the exported patch series applies to pristine QEMU (and
#             with git am to Debian's tree and to the upstream release)
#             and is scripts/checkpatch.pl clean, patch by patch
#   boot      Debian's 6.1 and 6.12 vmlinux x pc/q35: init, reboots, and
#             parity with the firmware path (-m 6G -smp 4, virtio-blk,
#             virtio-net, e1000); SMM, poweroff, ACPI/keyboard/triple-
#             fault reboots, QMP system_reset, 20 reboots in a row;
#             microvm with its own ACPI tables (-smp 2, virtio-mmio disk
#             and NIC, reboots, poweroff) and with acpi=off (MP table)
#   clients   libvirt (pc and q35 domains with <kernel>: entry, init,
#             reboot --mode acpi, save/restore, restore into Debian's
#             stock QEMU, shutdown) and virtme-ng (vng --run ... uname -r)
#   kvm-host  this machine's own /dev/kvm, where it has one: the test
#             guests (PVH, bzImage, multiboot, packed) on pc and q35 with
#             reboots and QMP resets, the vendor named; else one skip line
#   kvm       real KVM and Xen-on-KVM, nested: this QEMU under TCG
#             (emulated AMD-V) boots Debian's 6.12 with kvm_amd, and runs
#             itself inside with -accel kvm: the test guests, 6.1 and
#             6.12 to init with -smp 2 (reboots, QMP reset, poweroff,
#             parity with the firmware path), and under Xen emulation
#   upstream  QEMU's own qtest-x86_64 suite with our patches
# That is the default base (PVH_QEMU picks another).  Each other
# supported base (PVH_BASES) then runs, built in the minimal
# configuration: unit, guest, qtest, malformed, series, boot (6.1 and
# 6.12, vmlinux and bzImage, to init on pc and q35; microvm), kvm-host, and the
# kvm group's test-guest checks; its groups' lines name the base.  The
# kvm group runs last, stopped in time to keep the run inside CI's 90
# minutes (PVH_CI_SECONDS, default 5400).
# PVH_TEST_SKIP="upstream boot" leaves groups out (for quick local runs);
# "bases" leaves the other bases out.
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$PVH_ROOT"

# The base's own ccache, for the QEMU build and for the upstream
# qtests that the upstream group builds
export CCACHE_DIR=$PVH_CCACHE_DIR
passed=0 failed=0 skipped=0
failures=()
skip() { [[ " ${PVH_TEST_SKIP:-} " == *" $1 "* ]]; }
# Each group's line says how long it took (since the previous group's)
t_group=$SECONDS
count() {  # count GROUP PASSED FAILED [SKIPPED]
    passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + ${4:-0}))
    [ "$3" = 0 ] || failures+=("$1${PVH_TEST_BASE_TAG:-}: $3 failed")
    printf '== %s%s: %d passed, %d failed, %d skipped (%d s)\n' "$1" \
        "${PVH_TEST_BASE_TAG:-}" "$2" "$3" \
        "${4:-0}" $((SECONDS - t_group))
    t_group=$SECONDS
}
# Count the "ok"/"FAIL" lines of a test script's output
count_lines() { count "$1" "$(grep -c '^ok' "$2")" "$(grep -c '^FAIL' "$2")"; }
# Count a meson test run's summary
count_meson() {
    count "$1" "$(awk '/^Ok:/ { print $2 }' "$2")" \
        "$(awk '/^(Fail|Timeout|Unexpected Pass):/ { s += $NF } END { print s + 0 }' "$2")" \
        "$(awk '/^Skipped:/ { print $2 }' "$2")"
}

log "building (scripts/build-qemu.sh)"
bash scripts/build-qemu.sh || { echo "0 passed, 1 failed"; exit 1; }
echo "build: $((SECONDS - t_group)) s"
t_group=$SECONDS
qbuild=$PVH_QEMU_OUT/build
[ "${PVH_QEMU_CONFIG:-debian}" = debian ] || qbuild+=-$PVH_QEMU_CONFIG
qemu=$qbuild/qemu-system-x86_64
# The tests' own builds (the pure core's unit tests, the test guests)
# are per base: their meson directories know the QEMU binary
pvh_plain=$PVH_OUT/pvh-plain$PVH_BASE_SUFFIX
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The boot group's checks and the fuzz targets run PVH_TEST_LANES at a
# time (default: the CPUs, at most 4), each in its own temporary
# directory: most use one core, and CI machines have two
lanes=${PVH_TEST_LANES:-$(nproc)}
[ "$lanes" -le 4 ] || lanes=4

if ! skip unit || ! skip guest; then
    # The sanitizer run once, on the default base: the pure core is one
    # source for every base
    for v in plain $([ -n "$PVH_BASE_SUFFIX" ] || echo asan); do
        dir=$PVH_OUT/pvh-$v$PVH_BASE_SUFFIX
        opts=(-Dqemu="$qemu")
        [ $v = asan ] && opts+=(-Db_sanitize=address,undefined -Db_lundef=false)
        if [ -f "$dir/build.ninja" ]; then
            meson configure "$dir" "${opts[@]}" >/dev/null
        else
            meson setup "$dir" . "${opts[@]}" >/dev/null
        fi
        suites=(--suite unit)
        [ $v = plain ] && ! skip guest && suites+=(--suite guest)
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            meson test -C "$dir" "${suites[@]}" --print-errorlogs >"$tmp/meson" 2>&1
        grep -E '^ *[0-9]+/[0-9]+ ' "$tmp/meson"
        count "unit+guest ($v)" "$(awk '/^Ok:/ { print $2 }' "$tmp/meson")" \
            "$(awk '/^(Fail|Timeout|Unexpected Pass):/ { s += $NF } END { print s + 0 }' "$tmp/meson")"
    done
fi

if ! skip fuzz; then
    PVH_FUZZ_LANES=$lanes bash tests/fuzz/run.sh "${PVH_FUZZ_SECONDS:-60}" \
        >"$tmp/fuzz" 2>&1
    cat "$tmp/fuzz"
    count_lines fuzz "$tmp/fuzz"
fi

if ! skip soak; then
    ninja -C "$pvh_plain" >/dev/null
    g=$pvh_plain/tests/guest
    python3 tests/guest/reset-soak.py "$qemu" "$g/guest64.elf" \
        "$g/initrd.bin" 600 >"$tmp/soak" 2>&1 ||
        echo "FAIL reset-soak: exit status $?" >>"$tmp/soak"
    # The check of the check: 8 kB that QEMU keeps at every reset, as a
    # leak would, must fail the soak
    if out=$(PVH_SOAK_GROW=8 python3 tests/guest/reset-soak.py "$qemu" \
                 "$g/guest64.elf" "$g/initrd.bin" 600 2>&1); then
        echo "FAIL reset-soak-grow: 8 kB kept per reset went unseen: $out"
    elif [[ $out == *"RSS grew"* ]]; then
        echo "ok reset-soak-grow: 8 kB kept per reset seen: ${out#FAIL reset-soak: }"
    else
        echo "FAIL reset-soak-grow: ${out:-no output}"
    fi >>"$tmp/soak"
    cat "$tmp/soak"
    count_lines soak "$tmp/soak"
fi

if ! skip qtest; then
    QTEST_QEMU_BINARY=$qemu timeout 300 "$qbuild/tests/qtest/pvh-test" --tap \
        >"$tmp/qtest" 2>&1
    # The pure core's unit tests as QEMU's tree builds them (the series
    # carries them): the same tests as the unit group, QEMU's flags
    for t in "$qbuild"/tests/unit/test-pvh-*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        timeout 120 "$t" --tap >>"$tmp/qtest" 2>&1 ||
            echo "not ok - ${t##*/} exit status $?" >>"$tmp/qtest"
    done
    grep -E '^(not )?ok' "$tmp/qtest"
    count qtest "$(grep -c '^ok' "$tmp/qtest")" \
        "$(grep -cE '^not ok|^Bail out' "$tmp/qtest")"
fi

if ! skip malformed; then
    bash tests/corpus/run-malformed.sh "$qemu" >"$tmp/malformed" 2>&1
    # Upstream's words kept, on every path; Debian's own QEMU of the same
    # version, where installed, shows they are upstream's
    stock=/usr/bin/qemu-system-x86_64
    "$stock" --version 2>/dev/null | grep -q "version $QEMU_SERIES\." || stock=
    bash tests/corpus/upstream-messages.sh "$qemu" $stock >>"$tmp/malformed" 2>&1
    grep '^FAIL\|^messages:' "$tmp/malformed"
    count_lines malformed "$tmp/malformed"
fi

if ! skip series; then
    PVH_QEMU=$QEMU_SERIES bash scripts/export-series.sh >"$tmp/series" 2>&1
    sed 's/^export-series.sh: //' "$tmp/series"
    ok='checkpatch clean|git am applies all'
    count series "$(grep -cE "$ok" "$tmp/series")" \
        "$(grep -cvE "$ok|^export-series.sh: series of" "$tmp/series")"
fi

kdir=$PVH_CACHE/kernels
# The PVH entry (XEN_ELFNOTE_PHYS32_ENTRY) of the ELF kernel $1
pvh_entry() { python3 tests/boot/pvh-entry.py "$1"; }
# The test initramfs of kernel $1 (busybox, tests/boot/init, its drivers)
initramfs() {
    local initrd=$PVH_OUT/$1-initramfs.cpio.gz
    [ "$initrd" -nt tests/boot/init ] ||
        bash tests/boot/make-initramfs.sh "$initrd" "$kdir/$1.modules"
}

# job CMD... queues one check of the boot group; tests/lanes.sh runs
# them $lanes at a time and prints their lines in this order
job() { printf '%q ' "$@" >>"$tmp/boot.jobs"; echo >>"$tmp/boot.jobs"; }
boot_test() { job bash tests/boot/boot-test.sh "$qemu" "$@"; }

if ! skip boot; then
    bash scripts/fetch-kernels.sh || { count boot 0 1; }
    : >"$tmp/boot"
    : >"$tmp/boot.jobs"
    for k in linux-6.1 linux-6.12; do
        [ -s "$kdir/$k.vmlinux" ] || continue
        initrd=$PVH_OUT/$k-initramfs.cpio.gz
        initramfs $k || { echo "FAIL $k: initramfs" | tee -a "$tmp/boot"; continue; }
        vml=$kdir/$k.vmlinux
        # Another base's set: each kernel, vmlinux and bzImage, to init
        # on each machine type
        if [ "${PVH_BOOT_SET:-all}" = init ]; then
            for m in pc q35; do
                for img in "$vml" "$kdir/$k.bzImage"; do
                    boot_test "$img" "$initrd" "$m" init
                done
            done
            boot_test "$vml" "$initrd" microvm,direct-boot=on devices
            continue
        fi
        for m in pc q35; do
            for t in init reboot; do
                boot_test "$vml" "$initrd" "$m" "$t"
            done
            job bash tests/boot/parity-test.sh "$qemu" "$vml" "$initrd" "$m"
        done
        # Reset and power paths: 6.1 on pc, 6.12 on q35
        m=$([ $k = linux-6.1 ] && echo pc || echo q35)
        for t in topology smm poweroff reboot-acpi reboot-kbd reboot-triple \
                 qmp-reset reboot20 vmgenid s3 nobios; do
            boot_test "$vml" "$initrd" "$m" "$t"
        done
        # Physical KASLR: 6.12 has the PHYS32_RELOC note and moves, 6.1
        # has none and stays
        for m in pc q35; do
            job env PVH_KASLR_MOVES=$([ $k = linux-6.12 ] && echo 1 || echo 0) \
                bash tests/boot/boot-test.sh "$qemu" "$vml" "$initrd" "$m" kaslr
        done
        # The same kernel as Debian ships it, a bzImage, through the
        # Linux 32-bit boot protocol: entered at its pref_address (16
        # MiB), 3 reboots to init with the decompressor's KASLR moving
        # the kernel (and not with nokaslr), parity with the firmware path
        bz=$kdir/$k.bzImage
        if [ -s "$bz" ]; then
            for m in pc q35; do
                job env PVH_ENTRY=0x1000000 bash tests/boot/boot-test.sh "$qemu" \
                    "$bz" "$initrd" "$m" entry
                boot_test "$bz" "$initrd" "$m" bzkaslr
                job env PVH_APPEND=nokaslr bash tests/boot/parity-test.sh "$qemu" \
                    "$bz" "$initrd" "$m"
            done
            job env PVH_APPEND=nokaslr PVH_KASLR_MOVES=0 PVH_TAG=nokaslr \
                bash tests/boot/boot-test.sh "$qemu" "$bz" "$initrd" pc bzkaslr
            # The kernel's text on the display, as with firmware; a PVH
            # kernel shows none on either path (no screen_info in
            # hvm_start_info), on a VGA in text mode all the same
            if [ $k = linux-6.12 ]; then
                boot_test "$bz" "$initrd" pc vga
                job env PVH_VGA_TEXT=0 bash tests/boot/boot-test.sh "$qemu" \
                    "$vml" "$initrd" pc vga
            fi
        fi
        # pvh-unpack=on: QEMU unpacks the bzImage's payload (6.1 XZ, 6.12
        # ZSTD) and enters it through PVH: at the vmlinux's PVH entry, 3
        # reboots to init; host-side KASLR for 6.12's PHYS32_RELOC note;
        # the bzImage overwritten in place is unpacked again at the reset
        if [ -s "$bz" ]; then
            m=$([ $k = linux-6.1 ] && echo pc || echo q35)
            job env PVH_ENTRY="$(pvh_entry "$vml")" bash tests/boot/boot-test.sh \
                "$qemu" "$bz" "$initrd" "$m,pvh-unpack=on" entry
            boot_test "$bz" "$initrd" "$m,pvh-unpack=on" reboot
            if [ $k = linux-6.12 ]; then
                boot_test "$bz" "$initrd" "pc,pvh-unpack=on,pvh-kaslr=on" kaslr
                [ ! -s "$kdir/linux-6.1.bzImage" ] ||
                    job env PVH_CHANGE_TO="$kdir/linux-6.1.bzImage" \
                        bash tests/boot/boot-test.sh "$qemu" "$bz" "$initrd" \
                        "pc,pvh-unpack=on" change
            fi
        fi
        # microvm with no firmware (direct-boot=on): its own ACPI tables,
        # -smp 2, a virtio-mmio disk and NIC, 3 reboots (through the reset
        # vector, as Linux reboots there); with acpi=off the MP table;
        # poweroff through GED; virtio-pci devices with pcie=on; the first
        # block at the kernel's entry
        mv=microvm,direct-boot=on
        # (6.1's vmlinux on microvm's smallest: no PIT, 8259s or RTC)
        boot_test "$vml" "$initrd" \
            "$mv$([ $k = linux-6.1 ] && echo ,pit=off,pic=off,rtc=off)" devices
        [ ! -s "$bz" ] || boot_test "$bz" "$initrd" "$mv" devices
        job env PVH_ENTRY="$(pvh_entry "$vml")" bash tests/boot/boot-test.sh \
            "$qemu" "$vml" "$initrd" "$mv" entry
        boot_test "$vml" "$initrd" "$mv" poweroff
        if [ -s "$bz" ]; then
            job env PVH_ENTRY=0x1000000 bash tests/boot/boot-test.sh \
                "$qemu" "$bz" "$initrd" "$mv" entry
            boot_test "$bz" "$initrd" "$mv" poweroff
        fi
        if [ $k = linux-6.12 ]; then
            boot_test "$vml" "$initrd" "$mv" mptable
            boot_test "$vml" "$initrd" "$mv" pcie
            # Parity with microvm's firmware path (bios-microvm.bin)
            boot_test "$vml" "$initrd" microvm parity
            [ ! -s "$bz" ] || job env PVH_APPEND=nokaslr bash tests/boot/boot-test.sh \
                "$qemu" "$bz" "$initrd" microvm parity
        fi
        # The kernel file overwritten in place under a running guest
        if [ $k = linux-6.12 ] && [ -s "$kdir/linux-6.1.vmlinux" ]; then
            job env PVH_CHANGE_TO="$kdir/linux-6.1.vmlinux" \
                bash tests/boot/boot-test.sh "$qemu" "$vml" "$initrd" pc change
        fi
    done
    # Beyond the kernels: migration, images that are not Linux,
    # multiboot and Xen (the default base)
    if [ "${PVH_BOOT_SET:-all}" = all ]; then
        # Migration between the paths: a firmware destination finds the BIOS
        # area as a fresh start does, and every destination reboots cleanly;
        # with Debian's stock QEMU of the same version too, both ways
        if [ -s "$kdir/linux-6.1.vmlinux" ]; then
            stock=/usr/bin/qemu-system-x86_64
            "$stock" --version 2>/dev/null | grep -q "version $QEMU_SERIES\." ||
                stock=
            job python3 tests/boot/migrate-firmware-test.py "$qemu" \
                "$kdir/linux-6.1.vmlinux" "$PVH_OUT/linux-6.1-initramfs.cpio.gz" \
                $stock
        fi
        # Not Linux: memtest86+ boots directly, iPXE's .lkrn needs firmware
        for m in pc q35; do
            [ ! -s "$kdir/memtest86+x64.bin" ] ||
                job bash tests/boot/image-test.sh "$qemu" "$kdir/memtest86+x64.bin" \
                    "$m" memtest
        done
        [ ! -s "$kdir/ipxe.lkrn" ] ||
            job bash tests/boot/image-test.sh "$qemu" "$kdir/ipxe.lkrn" pc ipxe
        # Multiboot: the firmware path on auto; Xen with a Linux dom0 and no
        # firmware with direct-boot=on
        if bash tests/guest/build.sh "$tmp/guests" >/dev/null 2>&1; then
            job bash tests/boot/image-test.sh "$qemu" "$tmp/guests/guestmb.elf" pc \
                multiboot
        else
            echo "FAIL multiboot auto: tests/guest/build.sh" | tee -a "$tmp/boot"
        fi
        for m in pc q35; do
            for t in reboot poweroff $([ $m = q35 ] || echo bioscall); do
                if [ -s "$kdir/xen-4.17.elf" ]; then
                    job bash tests/boot/xen-test.sh "$qemu" "$kdir/xen-4.17.elf" \
                        "$kdir/linux-6.1.bzImage" \
                        "$PVH_OUT/linux-6.1-initramfs.cpio.gz" "$m" "$t"
                else
                    echo "FAIL xen $m $t: no $kdir/xen-4.17.elf" | tee -a "$tmp/boot"
                fi
            done
        done
    fi
    echo "boot: $(wc -l <"$tmp/boot.jobs") checks, $lanes at a time"
    bash tests/lanes.sh "$lanes" "$tmp/boot.jobs" | tee -a "$tmp/boot"
    count_lines boot "$tmp/boot"
fi

# What clients that nobody here wrote do with our binary: libvirt (its
# daemons started by hand in a private namespace) and virtme-ng
if ! skip clients; then
    : >"$tmp/clients"
    if bash scripts/fetch-kernels.sh && initramfs linux-6.1; then
        stock=/usr/bin/qemu-system-x86_64
        "$stock" --version 2>/dev/null | grep -q "version $QEMU_SERIES\." || stock=
        bash tests/clients/libvirt-test.sh "$qemu" "$kdir/linux-6.1.vmlinux" \
            "$PVH_OUT/linux-6.1-initramfs.cpio.gz" $stock >>"$tmp/clients" 2>&1
        bash tests/clients/vng-test.sh "$qemu" "$kdir/linux-6.12.bzImage" \
            "$kdir/linux-6.12.modules" >>"$tmp/clients" 2>&1
    else
        echo "FAIL clients: kernels or initramfs missing" >"$tmp/clients"
    fi
    cat "$tmp/clients"
    count_lines clients "$tmp/clients"
fi

if ! skip kvm-host; then
    # This machine's own /dev/kvm, where there is one: one skip line
    # (with its reason) where there is none or it cannot run a guest
    [ -f "$pvh_plain/build.ninja" ] ||
        meson setup "$pvh_plain" . -Dqemu="$qemu" >/dev/null
    ninja -C "$pvh_plain" >/dev/null &&
        bash tests/kvm/host-test.sh "$qemu" "$pvh_plain/tests/guest" \
            >"$tmp/kvm-host" 2>&1 ||
        echo "FAIL kvm-host: test guests missing or host-test.sh failed" >>"$tmp/kvm-host"
    cat "$tmp/kvm-host"
    count kvm-host "$(grep -c '^ok' "$tmp/kvm-host")" \
        "$(grep -c '^FAIL' "$tmp/kvm-host")" "$(grep -c '^skip' "$tmp/kvm-host")"
fi

if ! skip upstream; then
    log "QEMU's qtest-x86_64 suite (builds its tests on first use)"
    known=$(grep -v '^#' "tests/upstream-known-failures-$QEMU_SERIES.txt" | grep . |
            awk '{ print $1 }')
    tests=$(cd "$qbuild" && meson test --list --suite qtest-x86_64 2>/dev/null |
            grep -v -F "$(printf '/%s\n' $known migration-test)" | sed 's|.* / ||')
    # Under TCG on every machine: where /dev/kvm exists these tests pick
    # KVM, and then depend on the host (bios-tables-test fails where KVM
    # has no SMM); scripts/without-kvm.sh hides /dev/kvm from them
    [ ! -e /dev/kvm ] || echo "upstream qtests: /dev/kvm hidden, TCG only"
    (cd "$qbuild" && timeout 3000 "$PVH_ROOT/scripts/without-kvm.sh" \
        meson test --num-processes "$(nproc)" \
        --timeout-multiplier 3 --print-errorlogs $tests) >"$tmp/upstream" 2>&1
    grep -E '^ *[0-9]+/[0-9]+ ' "$tmp/upstream" | grep -v ' OK ' || true
    for t in $known; do echo "skipped $t: known failure on unpatched QEMU here"; done
    # migration-test on its own, and without the --full that meson adds
    # when QEMU is built with KVM support: the full set ran past
    # meson's 1,440 s limit in CI (with TCG, or with the slow /dev/kvm
    # some of these machines have).  The default set still migrates
    # the x86 guest (precopy, postcopy, file, multifd, cancel).
    rc=0
    : >"$tmp/migration"
    ninja -C "$qbuild" tests/qtest/migration-test >/dev/null 2>&1 || rc=$?
    [ "$rc" = 0 ] && (cd "$qbuild" && QTEST_QEMU_BINARY=./qemu-system-x86_64 \
        timeout 1800 "$PVH_ROOT/scripts/without-kvm.sh" \
        tests/qtest/migration-test --tap -k) \
        >"$tmp/migration" 2>&1 || rc=$?
    grep -E '^not ok|^Bail out' "$tmp/migration" || true
    mig_fail=$(grep -cE '^not ok|^Bail out' "$tmp/migration" || true)
    [ "$rc" = 0 ] || [ "$mig_fail" != 0 ] || mig_fail=1
    [ "$rc" = 0 ] || echo "migration-test: exit status $rc"
    echo "migration-test: $(grep -c '^ok' "$tmp/migration") subtests passed"
    count "upstream qtest-x86_64" \
        "$(( $(awk '/^Ok:/ { print $2 }' "$tmp/upstream") + ($mig_fail == 0) ))" \
        "$(( $(awk '/^(Fail|Timeout|Unexpected Pass):/ { s += $NF } END { print s + 0 }' "$tmp/upstream") + ($mig_fail != 0) ))" \
        "$(( $(awk '/^Skipped:/ { print $2 }' "$tmp/upstream") + $(echo $known | wc -w) ))"
fi

# The other supported bases, each in a run of its own: its groups'
# lines name it, its totals count here
if [ -z "$PVH_BASE_SUFFIX" ] && ! skip bases; then
    for b in $PVH_BASES; do
        [ "$b" != "$QEMU_SERIES" ] || continue
        log "QEMU $b: unit, guest, qtest, malformed, series, boot to init, kvm"
        PVH_QEMU=$b PVH_QEMU_CONFIG=minimal PVH_TEST_BASE_TAG=" (QEMU $b)" \
            PVH_BOOT_SET=init PVH_KVM_FILTER=guest PVH_CI_SECONDS=$(( ${PVH_CI_SECONDS:-5400} - SECONDS )) \
            PVH_TEST_SKIP="${PVH_TEST_SKIP:-} fuzz soak clients upstream" \
            bash scripts/test.sh >"$tmp/base" 2>&1
        grep -v '^[0-9]* passed, [0-9]* failed\|^total:\|^failed: ' "$tmp/base"
        read -r p f k < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$tmp/base")
        if [ -z "${p:-}" ]; then
            count "QEMU $b" 0 1
        else
            passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
            while read -r line; do failures+=("${line#failed: }"); done < <(grep '^failed: ' "$tmp/base")
            t_group=$SECONDS
        fi
    done
fi

if ! skip kvm; then
    [ -f "$pvh_plain/build.ninja" ] ||
        meson setup "$pvh_plain" . -Dqemu="$qemu" >/dev/null
    # The nested rig runs the same tree built with the fewest features:
    # inside the TCG-emulated host every process start of the full
    # build, with its 189 shared libraries, costs tens of seconds
    if bash scripts/fetch-kernels.sh && initramfs linux-6.1 && initramfs linux-6.12 &&
       ninja -C "$pvh_plain" >/dev/null &&
       PVH_QEMU_CONFIG=minimal bash scripts/build-qemu.sh; then
        # Stopped in time for CI's 90 minutes: what is left of them less
        # 4 minutes' margin, at most the group's own 40
        left=$(( ${PVH_CI_SECONDS:-5400} - 240 - SECONDS ))
        [ "$left" -le 2400 ] || left=2400
        PVH_KVM_STOP=$left \
            bash tests/kvm/run.sh "$PVH_QEMU_OUT/build-minimal/qemu-system-x86_64" \
            "$pvh_plain/tests/guest" "$kdir" "$PVH_OUT" ${PVH_KVM_FILTER:-} \
            >"$tmp/kvm" 2>&1
        cat "$tmp/kvm"
    else
        echo "FAIL kvm: kernels, initramfs or guests missing" >"$tmp/kvm"
    fi
    count_lines kvm "$tmp/kvm"
fi

for f in "${failures[@]}"; do echo "failed: $f"; done
echo "total: $SECONDS s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
