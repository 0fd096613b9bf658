#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""PVH Direct benchmark, microvm: microvm.py OUTDIR

microvm is QEMU's machine for fast, minimal VMs.  In one run, with
alternating repetitions (only ratios within a run mean much here):
  1. process start to the kernel's entry (a PVH guest whose first
     instruction exits), against microvm's own floor (-bios a 64 KiB
     image whose reset vector exits at once): microvm direct
     (direct-boot=on), microvm through its firmware (bios-microvm.bin,
     SeaBIOS, with ACPI; qboot.rom with acpi=off), q35 direct and q35's
     floor;
  2. Debian 6.1 vmlinux to init and to poweroff: microvm direct (its
     ACPI tables, GED poweroff), microvm direct with acpi=off (to init;
     no poweroff without ACPI), microvm through qboot with acpi=off (to
     init), microvm through bios-microvm.bin (tried once: see results),
     q35 direct.
With PVH_BENCH_ACCEL=kvm, part 1 runs under -accel kvm (where this
host's /dev/kvm runs a tiny guest) and part 2 is left out (Linux does not
boot under these machines' nested KVM, on any path).
Writes OUTDIR/microvm.md (OUTDIR/microvm-kvm.md with KVM).
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (exit_kernel, floor_bios, alternate, ...)

OURS = bench.OURS
MV = 'microvm,direct-boot=on'
ACCEL = os.environ.get('PVH_BENCH_ACCEL', '')


def entry(out):
    k = os.path.join(out, 'exit.elf')
    floor = os.path.join(out, 'floor.bin')
    bench.exit_kernel(k)
    bench.floor_bios(floor)
    c = bench.COMMON + bench.EXITDEV + (['-accel', ACCEL] if ACCEL else [])
    cfgs = [
        ('microvm direct', [OURS, '-M', MV, '-kernel', k] + c),
        ('microvm floor', [OURS, '-M', 'microvm', '-bios', floor] + c),
        ('microvm bios-microvm.bin', [OURS, '-M', 'microvm', '-kernel', k]
         + c),
        ('microvm qboot (acpi=off)', [OURS, '-M', 'microvm,acpi=off',
                                      '-kernel', k] + c),
        ('q35 direct', [OURS, '-M', 'q35', '-kernel', k] + c),
        ('q35 floor', [OURS, '-M', 'q35', '-bios', floor] + c),
    ]
    return bench.alternate(cfgs, bench.ENTRY_REPS)


def boot_once(cmd, timeout):
    """(seconds to init or None, seconds to exit, status; 124: timeout)"""
    t = time.perf_counter()
    p = subprocess.Popen(['timeout', str(timeout)] + cmd + ['-serial', 'stdio'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    t_init = None
    for line in p.stdout:
        if t_init is None and b'PVH-INIT: reached init' in line:
            t_init = time.perf_counter() - t
    rc = p.wait()
    return t_init, time.perf_counter() - t, rc


def linux(out):
    v = os.path.join(bench.KDIR, 'linux-6.1.vmlinux')
    initrd = os.path.join(bench.ROOT, 'build/linux-6.1-initramfs.cpio.gz')

    # Every configuration skips the TSC's calibration against the PIT:
    # microvm has no other reference, and where it fails (TCG on a loaded
    # host) Linux hangs calibrating its delay loop
    def app(action):
        return ['-append', 'console=ttyS0 quiet tsc_early_khz=2000000 '
                f'pvh.action={action}',
                '-initrd', initrd, '-m', '512M', '-display', 'none',
                '-no-user-config', '-kernel', v,
                '-device', 'isa-debug-exit']    # init's exit: port 0x501
    cfgs = [
        ('microvm direct', [OURS, '-M', MV] + app('poweroff'), 0),
        ('microvm direct, acpi=off', [OURS, '-M', MV + ',acpi=off']
         + app('exit'), 1),
        ('microvm qboot (acpi=off)', [OURS, '-M', 'microvm,acpi=off']
         + app('exit'), 1),
        ('q35 direct', [OURS, '-M', 'q35'] + app('poweroff'), 0),
    ]
    init = {n: [] for n, _, _ in cfgs}
    total = {n: [] for n, _, _ in cfgs}
    for _ in range(max(3, bench.REPS // 2)):
        for name, cmd, ok in cfgs:
            ti, tt, rc = boot_once(cmd, 60)
            if ti is None or rc != ok:
                raise SystemExit(f'{name}: status {rc}, init '
                                 f'{"seen" if ti else "not seen"}')
            init[name].append(ti)
            total[name].append(tt)
    # microvm's default firmware, once: it does not reach init here
    ti, tt, rc = boot_once([OURS, '-M', 'microvm'] + app('poweroff'), 60)
    fw = (f'{ti:.3f} s to init, {tt:.3f} s to exit (status {rc})' if ti else
          'init not reached in 60 s')
    return init, total, fw


def med(xs):
    return statistics.median(xs)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        bench.ROOT, 'build/bench')
    os.makedirs(out, exist_ok=True)
    e = entry(out)
    lines = ['# microvm' + (f' (-accel {ACCEL})' if ACCEL else ''), '',
             f'{bench.ENTRY_REPS} alternated starts, medians (min-max)'
             + ('.' if ACCEL else
                f'; Linux: {max(3, bench.REPS // 2)} boots each.'), '',
             '| process start to kernel entry | ms | / microvm floor |',
             '|---|---|---|']
    fl = med(e['microvm floor'])
    for name, xs in e.items():
        lines.append(f'| {name} | {med(xs) * 1000:.1f} '
                     f'({min(xs) * 1000:.1f}-{max(xs) * 1000:.1f}) | '
                     f'{med(xs) / fl:.3f} |')
    lines.append(f'| q35 direct / q35 floor | | '
                 f'{med(e["q35 direct"]) / med(e["q35 floor"]):.3f} |')
    if ACCEL:
        return report(out, 'microvm-kvm.md', lines)
    init, total, fw = linux(out)
    lines += ['', '| Debian 6.1 vmlinux | to init, s | to exit, s |'
              ' init / q35 direct |', '|---|---|---|---|']
    q = med(init['q35 direct'])
    for name in init:
        lines.append(f'| {name} | {med(init[name]):.3f} | '
                     f'{med(total[name]):.3f} | {med(init[name]) / q:.3f} |')
    lines += ['', f'microvm through bios-microvm.bin (ACPI): {fw}.']
    report(out, 'microvm.md', lines)


def report(out, name, lines):
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(out, name), 'w') as f:
        f.write(text)
    print(text)


if __name__ == '__main__':
    main()
