#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/entry.py [OUTDIR]: section 1 of bench.py alone, for another host

Process start to the PVH entry of a guest whose first instruction exits,
for our binary only (no stock QEMU, no kernels, no gnuplot): the direct
path, the firmware path and the no-firmware floor, with and without
transparent huge pages, alternated; with each start's minor page faults
(getrusage), and the first reset's own time (trace pvh_direct_reset_end).
It needs python3 and the binary: PVH_BENCH_QEMU names it (default our
build), PVH_BENCH_DATA a -L folder for the ROMs, PVH_BENCH_ENTRY_REPS
the repetitions.  Prints a markdown table and writes OUTDIR/entry.md.
"""
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import bench

DATA = os.environ.get('PVH_BENCH_DATA')
RESETS = 21


def faulted(cmd):
    """Seconds and minor page faults of one run of @cmd"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    dt = bench.timed(cmd)
    return dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before


def first_reset(cmd):
    """The first reset's time in us, from the trace point"""
    r = subprocess.run(cmd + ['-trace', 'pvh_direct_reset_end'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=120, check=False)
    m = re.search(rb'pvh_direct_reset_end .* in (\d+) us', r.stderr)
    if not m:
        raise SystemExit(f'no reset trace: {r.stderr.decode()[:300]}')
    return int(m.group(1))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(bench.ROOT, 'build/bench-entry')
    os.makedirs(out, exist_ok=True)
    bench.exit_kernel(os.path.join(out, 'exit.elf'))
    bench.floor_bios(os.path.join(out, 'floor.bin'))
    bench.floor_bios(os.path.join(out, 'floor256.bin'), 256 * 1024)
    if not os.path.exists(os.path.join(out, 'nothp')):
        subprocess.run(['gcc', '-O2', '-o', os.path.join(out, 'nothp'),
                        os.path.join(bench.ROOT, 'bench/nothp.c')],
                       check=True)
    extra = ['-L', DATA] if DATA else []
    cfgs = [(n, c + extra) for n, c in bench.configs(out)
            if n[0] in 'abdfgh']
    t = {n: [] for n, _ in cfgs}
    f = {n: [] for n, _ in cfgs}
    for _ in range(bench.ENTRY_REPS):
        for name, cmd in cfgs:
            dt, flt = faulted(cmd)
            t[name].append(dt * 1e3)
            f[name].append(flt)
    reset = [first_reset(cfgs[0][1]) for _ in range(RESETS)]
    floor = statistics.median(t['d floor'])
    md = [f'# Process start to PVH entry ({time.strftime("%Y-%m-%d")}, '
          f'{os.uname().nodename}, {os.cpu_count()} CPUs, '
          f'{bench.ENTRY_REPS} alternated reps)', '',
          '| config | min ms | median ms | max ms | / floor | faults |',
          '|---|---|---|---|---|---|']
    for name, _ in cfgs:
        lo, med, hi = bench.stats(t[name])
        md.append(f'| {name} | {lo:.1f} | {med:.1f} | {hi:.1f} | '
                  f'{med / floor:.3f} | {statistics.median(f[name]):.0f} |')
    ratios = sorted(a / b for a, b in zip(t['a direct'], t['d floor']))
    nothp = statistics.median(t['f direct, no THP']) / \
        statistics.median(t['g floor, no THP'])
    lo, med, hi = bench.stats(reset)
    md += ['', f'Direct / floor, pairwise: median {statistics.median(ratios):.3f}'
           f' (quartiles {ratios[len(ratios) // 4]:.3f}-'
           f'{ratios[3 * len(ratios) // 4]:.3f}); without THP {nothp:.3f}.',
           f'First reset of the direct path, {RESETS} starts: {lo} / {med} / '
           f'{hi} us (min / median / max).']
    bench.write_md(out, 'entry.md', md)


if __name__ == '__main__':
    main()
