#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""reset-soak.py QEMU GUEST INITRD [N]: N QMP system_resets in a row.

The test guest checks its registers, start_info, memmap, initrd, data
and bss at every boot, spoils data, bss and start_info, and halts; QMP
system_reset must bring each back.  Every boot must report PASS, and
QEMU's anonymous memory (RssAnon) must not grow: its median over the
last third of the resets may exceed its median over the middle third by
at most 1 MiB.  The first third is warm-up: every reset rewrites the
guest's code pages, so TCG translates it anew each time and fills its
code buffer, kept at 1 MiB (tb-size=1) so that it is full early.

RssAnon is read 20 ms after each boot has reported, with the guest
halted: by then QEMU's RCU thread, idle, has called malloc_trim() and
given back the heap pages that the reset used and freed.  Read at once,
the heap went up and down by 1 MB from one reset to the next, and a
trim gave back up to 7 MB at a moment that depends on timing, refaulted
by up to 2.3 MB over the next ten resets: noise of a few MB (CI failed
once on 2,080 kB between resets 30 and 100 with no leak).  Read after
the pause, over 600 resets, the two thirds differed by less than 60 kB,
with both cores of the machine busy; the median ignores a read that
comes before the trim all the same.  QEMU runs without transparent huge
pages (PR_SET_THP_DISABLE), which could collapse a partly touched 2 MiB
range of guest RAM at any moment.

PVH_SOAK_GROW=KB (a power of two) is the check of the check: each
reset also adds a ring-buffer chardev of KB kB and fills it, memory
that QEMU keeps, as a leak would; the soak must then fail.
Prints one line.
"""
import ctypes
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from qmpguest import qmp_cmd, qmp_open


def rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('RssAnon:'):
                return int(line.split()[1])
    return 0


def no_thp():
    """In the child before exec: no transparent huge pages (kept by exec)"""
    PR_SET_THP_DISABLE = 41
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)


def main():
    qemu, guest, initrd = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 600
    tmp = tempfile.mkdtemp()
    out, sock = os.path.join(tmp, 'out'), os.path.join(tmp, 'qmp')
    machine = os.environ.get('PVH_SOAK_MACHINE', 'pc')
    accel = os.environ.get('PVH_SOAK_ACCEL', 'tcg,tb-size=1')
    p = subprocess.Popen([qemu, '-M', machine, '-accel', accel, '-m', '64M', '-display', 'none',
                          '-no-user-config', '-kernel', guest,
                          '-initrd', initrd, '-append', 'soak halt',
                          '-chardev', f'file,id=dc,path={out}',
                          '-device', 'isa-debugcon,iobase=0xe9,chardev=dc',
                          '-qmp', f'unix:{sock},server=on,wait=off'],
                         preexec_fn=no_thp)
    try:
        _, f = qmp_open(sock, p)

        def cmd(name, args=None):
            r = qmp_cmd(f, name, args)
            if 'error' in r:
                raise SystemExit(f'FAIL reset-soak: {name}: '
                                 f'{r["error"].get("desc")}')

        def wait_boots(k):
            deadline = time.time() + 20
            while time.time() < deadline:
                text = open(out).read() if os.path.exists(out) else ''
                if 'FAIL' in text:
                    bad = [l for l in text.splitlines() if 'FAIL' in l]
                    raise SystemExit(f'FAIL reset-soak: {bad[0]}')
                if text.count('result: PASS') >= k:
                    return
                time.sleep(0.01)
            raise SystemExit(f'FAIL reset-soak: boot {k} did not report')

        wait_boots(1)
        grow = int(os.environ.get('PVH_SOAK_GROW', '0'))
        rss = []
        for i in range(1, n + 1):
            cmd('system_reset')
            wait_boots(i + 1)
            if grow:
                cmd('chardev-add', {'id': f'grow{i}', 'backend': {
                    'type': 'ringbuf', 'data': {'size': grow * 1024}}})
                cmd('ringbuf-write', {'device': f'grow{i}',
                                      'data': 'x' * (grow * 1024)})
            time.sleep(0.02)
            rss.append(rss_kb(p.pid))
        if os.environ.get('PVH_SOAK_TRACE'):
            print(' '.join(str(rss[i]) for i in range(0, n, max(1, n // 10))))
        no_rss = os.environ.get('PVH_SOAK_NO_RSS') or n < 3
        third = n // 3
        mid = statistics.median(rss[third:n - third] or [0])
        last = statistics.median(rss[n - third:] or [0])
        where = (f'RssAnon median {mid:.0f} kB over resets {third + 1}..'
                 f'{n - third}, {last:.0f} kB over {n - third + 1}..{n}')
        if last - mid > 1024 and not no_rss:
            raise SystemExit(f'FAIL reset-soak: RSS grew {last - mid:.0f} kB: '
                             f'{where}')
        print(f'ok reset-soak: {n} resets, each boot restored'
              + ('' if no_rss else f'; {where}'))
        # A clean exit, so that a sanitizer build reports leaks
        f.write(json.dumps({'execute': 'quit'}) + '\n')
        f.flush()
        p.wait(timeout=30)
        if p.returncode != 0:
            raise SystemExit(f'FAIL reset-soak: QEMU exit status '
                             f'{p.returncode} after quit')
    finally:
        p.kill()
        p.wait()


if __name__ == '__main__':
    main()
