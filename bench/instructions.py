#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/instructions.py [OUTDIR]: process start to PVH entry, counted in
instructions instead of time

The direct path and the no-firmware floor of bench.py's section 1, each
run once under valgrind's callgrind: the count of instructions executed
by QEMU's threads (user space only, not the host kernel's page faults).
It does not move with the load of the machine, so it shows on a noisy
2-core host what the CPU work of the direct path costs over the floor,
and where (OUTDIR/direct.cg and OUTDIR/floor.cg, for callgrind_annotate
--inclusive=yes).  It needs valgrind; PVH_BENCH_QEMU names the binary.
"""
import os
import re
import shutil
import subprocess
import sys

import bench


def count(out, name, cmd):
    """Instructions of one run of @cmd under callgrind"""
    cg = os.path.join(out, name + '.cg')
    r = subprocess.run(['valgrind', '--tool=callgrind',
                        '--callgrind-out-file=' + cg] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=600, check=False)
    m = re.search(rb'Collected : (\d+)', r.stderr)
    if r.returncode != 1 or not m:
        sys.exit(f'instructions.py: {name} exited {r.returncode}: '
                 f'{r.stderr[-300:].decode(errors="replace")}')
    return int(m.group(1))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(bench.ROOT, 'build/bench')
    if not shutil.which('valgrind'):
        sys.exit('instructions.py: needs valgrind (apt-get install valgrind)')
    os.makedirs(out, exist_ok=True)
    bench.exit_kernel(os.path.join(out, 'exit.elf'))
    bench.floor_bios(os.path.join(out, 'floor.bin'))
    cfgs = dict(bench.configs(out))
    direct = count(out, 'direct', cfgs['a direct'])
    floor = count(out, 'floor', cfgs['d floor'])
    lines = ['# Process start to PVH entry, in instructions (callgrind)', '',
             '| config | instructions | / floor |', '|---|---|---|',
             f'| a direct | {direct:,} | {direct / floor:.3f} |',
             f'| d floor | {floor:,} | 1.000 |', '',
             f'The direct path executes {direct - floor:,} more; '
             f'callgrind_annotate --inclusive=yes {out}/direct.cg '
             f'(and floor.cg) says where.']
    bench.write_md(out, 'instructions.md', lines)


if __name__ == '__main__':
    main()
