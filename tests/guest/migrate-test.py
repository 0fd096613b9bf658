#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""migrate-test.py QEMU GUESTDIR: migration and snapshots keep a directly
booted guest.

For each of the four combinations of boot path (pvh-direct=on|off) on
the source and the destination: the test guest boots and halts on the
source, the source migrates to a file: URI, a new QEMU takes it in with
-incoming and resumes it, and a QMP system_reset there must enter the
kernel again.  The guest's boot counter lives in guest RAM, so the
destination's boot must print "boot 0x1": the RAM came across and the
reset re-entered the kernel (the destination's own path, direct or not).
With direct boot on the destination, that boot must pass every check.
The guest runs without isa-debug-exit, so the firmware path's boots
(which do not meet all of the direct path's checks) still halt.
The same four combinations for snapshots: savevm into a qcow2 image,
loadvm in the same process, -loadvm in a new one; after each, a reset
must continue the saved guest (boot counter 1).
With -device vmgenid on a direct boot: the generation ID is in guest
memory after boot (QEMU ran the table-loader's WRITE_POINTER itself), and
a destination given another ID has it at the same address once resumed.
Prints one line per case.
"""
import os
import shutil
import sys
import tempfile
import uuid

from qmpguest import EXIT_KERNEL_STATUS, Guest, exit_kernel, report

GUID_A = '8a7f3c5e-1d2b-4e6f-9a0b-1c2d3e4f5a6b'
GUID_B = '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901'


def start_guest(qemu, tmp, tag, direct, guest, initrd, extra=()):
    """The guest on one path, halting after each boot"""
    return Guest(qemu, tmp, tag, 'pc,pvh-direct=' + ('on' if direct else
                                                     'off'),
                 guest, initrd, 'migrate halt', extra)


def combo(qemu, gdir, tmp, src_direct, dst_direct, vmgenid=False):
    guest = os.path.join(gdir, 'guest64.elf')
    initrd = os.path.join(gdir, 'initrd.bin')
    state = os.path.join(tmp, 'state')
    src = start_guest(qemu, tmp, 'src', src_direct, guest, initrd,
               ('-device', 'vmgenid,guid=' + GUID_A) if vmgenid else ())
    at = -1
    try:
        if not src.wait(lambda q: 'result:' in q.text()):
            return 'the source did not boot: ' + src.text()[-200:]
        if vmgenid:
            at = src.memory(tmp).find(uuid.UUID(GUID_A).bytes_le)
            if at < 0:
                return 'the generation ID is not in guest memory'
        r = src.cmd('migrate', uri='file:' + state)
        if 'error' in r:
            return 'migrate: ' + r['error']['desc']
        if not src.wait(lambda q: q.cmd('query-migrate')['return']
                        .get('status') in ('completed', 'failed')):
            return 'migration did not end'
        st = src.cmd('query-migrate')['return']
        if st.get('status') != 'completed':
            return 'migration ' + st.get('status', '?') + \
                ': ' + st.get('error-desc', '')
    finally:
        src.close()
    dst = start_guest(qemu, tmp, 'dst', dst_direct, guest, initrd,
               ('-incoming', 'file:' + state) +
               (('-device', 'vmgenid,guid=' + GUID_B) if vmgenid else ()))
    try:
        if not dst.running():
            return 'the destination did not resume: ' + dst.stderr()
        if vmgenid:
            ram = dst.memory(tmp)
            if ram[at:at + 16] != uuid.UUID(GUID_B).bytes_le:
                return 'the generation ID did not change on the destination'
            return None
        dst.cmd('system_reset')
        if not dst.wait(lambda q: 'result:' in q.text()):
            return 'no boot after the reset: ' + dst.text()[-200:]
        text = dst.text()
        if not text.startswith('boot 0x1\n'):
            return 'the reset did not continue the migrated guest: ' + \
                text.splitlines()[0]
        if dst_direct and 'result: PASS' not in text:
            return 'the direct boot after migration failed: ' + \
                ' / '.join(l for l in text.splitlines() if 'FAIL' in l)
    finally:
        dst.close()
    return None


def other_kernel_on_destination(qemu, gdir, tmp):
    """The destination names another kernel: the migrated guest runs on,
    and its next reset boots the destination's kernel"""
    guest = os.path.join(gdir, 'guest64.elf')
    initrd = os.path.join(gdir, 'initrd.bin')
    other = os.path.join(tmp, 'other.elf')
    state = os.path.join(tmp, 'state')
    with open(other, 'wb') as f:
        f.write(exit_kernel(16 << 20))
    src = start_guest(qemu, tmp, 'src', True, guest, initrd)
    try:
        if not src.wait(lambda q: 'result: PASS' in q.text()):
            return 'the source did not boot'
        src.cmd('migrate', uri='file:' + state)
        if not src.wait(lambda q: q.cmd('query-migrate')['return']
                        .get('status') == 'completed'):
            return 'migration did not complete'
    finally:
        src.close()
    dst = start_guest(qemu, tmp, 'dst', True, other, initrd,
               ('-incoming', 'file:' + state,
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'))
    try:
        if not dst.running():
            return 'the destination did not resume'
        dst.cmd('system_reset')
        st = dst.status()
        if st != EXIT_KERNEL_STATUS:
            return f'exit status {st}: the reset did not boot the ' \
                'destination\'s kernel'
    finally:
        dst.close()
    return None


def job(q, name, options):
    """Run blockdev-create to its end"""
    r = q.cmd('blockdev-create', {'job-id': name, 'options': options})
    if 'error' in r:
        raise RuntimeError(r['error']['desc'])
    q.wait(lambda q: any(j['id'] == name and j['status'] == 'concluded'
                         for j in q.cmd('query-jobs')['return']))
    q.cmd('job-dismiss', id=name)


def hmp(q, line):
    return q.cmd('human-monitor-command', {'command-line': line})['return']


def snapshot(qemu, gdir, tmp, save_direct, load_direct):
    """savevm, loadvm in the same process, then -loadvm in a new one"""
    guest = os.path.join(gdir, 'guest64.elf')
    initrd = os.path.join(gdir, 'initrd.bin')
    disk = os.path.join(tmp, 'disk.qcow2')
    src = start_guest(qemu, tmp, 'src', save_direct, guest, initrd)
    try:
        # Every boot ends with this line; the firmware path's boots also
        # print a FAIL (they do not meet all of the direct path's checks)
        if not src.wait(lambda q: 'result: PASS' in q.text()):
            return 'the guest did not boot: ' + src.text()[-200:]
        # A qcow2 image for the snapshot (no qemu-img in this build)
        job(src, 'c1', {'driver': 'file', 'filename': disk, 'size': 0})
        src.cmd('blockdev-add', {'driver': 'file', 'node-name': 'f',
                                 'filename': disk})
        job(src, 'c2', {'driver': 'qcow2', 'file': 'f', 'size': 64 << 20})
        src.cmd('blockdev-add', {'driver': 'qcow2', 'node-name': 'disk',
                                 'file': 'f'})
        for line, n in (('savevm s1', 2), ('loadvm s1', 3)):
            out = hmp(src, line).strip()
            if out:
                return f'{line}: {out}'
            src.cmd('system_reset')
            if not src.wait(lambda q: q.text().count('result: PASS') == n):
                return f'no boot after {line} and a reset'
        boots = [l for l in src.text().splitlines() if l.startswith('boot ')]
        if boots != ['boot 0x0', 'boot 0x1', 'boot 0x1']:
            return 'loadvm did not bring back the saved guest: ' + \
                ', '.join(boots)
    finally:
        src.close()
    dst = start_guest(qemu, tmp, 'dst', load_direct, guest, initrd,
               ('-blockdev', f'driver=file,node-name=f,filename={disk}',
                '-blockdev', 'driver=qcow2,node-name=disk,file=f',
                '-loadvm', 's1'))
    try:
        if not dst.running():
            return '-loadvm did not resume: ' + dst.stderr()
        dst.cmd('system_reset')
        if not dst.wait(lambda q: 'result: PASS' in q.text()):
            return 'no boot after -loadvm and reset'
        text = dst.text()
        if not text.startswith('boot 0x1\n'):
            return '-loadvm did not bring back the saved guest: ' + \
                text.splitlines()[0]
        if load_direct and 'FAIL' in text:
            return 'the direct boot after -loadvm failed'
    finally:
        dst.close()
    return None


def main():
    qemu, gdir = sys.argv[1:3]
    cases = []
    for src_direct in (True, False):
        for dst_direct in (True, False):
            pair = '%s-to-%s' % ('direct' if src_direct else 'firmware',
                                 'direct' if dst_direct else 'firmware')
            cases += [
                (f'migrate/{pair}', combo, (src_direct, dst_direct),
                 'the reset after -incoming booted again'),
                (f'snapshot/{pair}', snapshot, (src_direct, dst_direct),
                 'savevm, loadvm, -loadvm in a new process, each reset '
                 'booted again')]
    cases += [
        ('migrate/other-kernel-on-destination', other_kernel_on_destination,
         (), 'the reset boots the kernel the destination names'),
        ('migrate/vmgenid', lambda *a: combo(*a, True, True, vmgenid=True),
         (), 'the ID is in guest memory, and changed by the destination')]
    failed = 0
    for name, fn, args, ok_text in cases:
        tmp = tempfile.mkdtemp()
        try:
            why = fn(qemu, gdir, tmp, *args)
        finally:
            shutil.rmtree(tmp)
        failed += report(name, why, ok_text)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
