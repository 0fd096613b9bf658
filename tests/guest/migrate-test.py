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
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

GUID_A = '8a7f3c5e-1d2b-4e6f-9a0b-1c2d3e4f5a6b'
GUID_B = '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901'


class QEMU:
    def __init__(self, qemu, tmp, tag, direct, guest, initrd, extra=()):
        self.out = os.path.join(tmp, f'{tag}.out')
        sock = os.path.join(tmp, f'{tag}.qmp')
        self.p = subprocess.Popen(
            [qemu, '-M', 'pc,pvh-direct=' + ('on' if direct else 'off'),
             '-m', '64M', '-display', 'none', '-no-user-config',
             '-kernel', guest, '-initrd', initrd, '-append', 'migrate halt',
             '-chardev', f'file,id=dc,path={self.out}',
             '-device', 'isa-debugcon,iobase=0xe9,chardev=dc',
             '-qmp', f'unix:{sock},server=on,wait=off', *extra],
            stderr=subprocess.PIPE, text=True)
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(sock)
        self.f = self.s.makefile('rw')
        self.f.readline()
        self.cmd('qmp_capabilities')

    def cmd(self, name, args=None, **kw):
        args = dict(args or {}, **kw)
        self.f.write(json.dumps({'execute': name, 'arguments': args}) + '\n')
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if 'return' in r or 'error' in r:
                return r

    def text(self):
        return open(self.out).read() if os.path.exists(self.out) else ''

    def wait(self, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if what(self):
                return True
            if self.p.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def memory(self, tmp):
        path = os.path.join(tmp, 'ram')
        self.cmd('pmemsave', val=0, size=64 << 20, filename=path)
        with open(path, 'rb') as f:
            return f.read()

    def close(self):
        self.p.kill()
        self.p.wait()


def combo(qemu, gdir, tmp, src_direct, dst_direct, vmgenid=False):
    guest = os.path.join(gdir, 'guest64.elf')
    initrd = os.path.join(gdir, 'initrd.bin')
    state = os.path.join(tmp, 'state')
    src = QEMU(qemu, tmp, 'src', src_direct, guest, initrd,
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
    dst = QEMU(qemu, tmp, 'dst', dst_direct, guest, initrd,
               ('-incoming', 'file:' + state) +
               (('-device', 'vmgenid,guid=' + GUID_B) if vmgenid else ()))
    try:
        if not dst.wait(lambda q: q.cmd('query-status')['return']
                        .get('status') == 'running'):
            err = dst.p.stderr.read() if dst.p.poll() is not None else ''
            return 'the destination did not resume: ' + err.strip()
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
    spec = importlib.util.spec_from_file_location(
        'change_test', os.path.join(os.path.dirname(__file__),
                                    'change-test.py'))
    change = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(change)
    guest = os.path.join(gdir, 'guest64.elf')
    initrd = os.path.join(gdir, 'initrd.bin')
    other = os.path.join(tmp, 'other.elf')
    state = os.path.join(tmp, 'state')
    with open(other, 'wb') as f:
        f.write(change.exit_kernel(16 << 20))
    src = QEMU(qemu, tmp, 'src', True, guest, initrd)
    try:
        if not src.wait(lambda q: 'result: PASS' in q.text()):
            return 'the source did not boot'
        src.cmd('migrate', uri='file:' + state)
        if not src.wait(lambda q: q.cmd('query-migrate')['return']
                        .get('status') == 'completed'):
            return 'migration did not complete'
    finally:
        src.close()
    dst = QEMU(qemu, tmp, 'dst', True, other, initrd,
               ('-incoming', 'file:' + state,
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'))
    try:
        if not dst.wait(lambda q: q.cmd('query-status')['return']
                        .get('status') == 'running'):
            return 'the destination did not resume'
        dst.cmd('system_reset')
        try:
            st = dst.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            st = 'still running'
        if st != change.NEW_KERNEL_STATUS:
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
    src = QEMU(qemu, tmp, 'src', save_direct, guest, initrd)
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
        out = hmp(src, 'savevm s1')
        if out.strip():
            return 'savevm: ' + out.strip()
        src.cmd('system_reset')
        if not src.wait(lambda q: q.text().count('result: PASS') == 2):
            return 'no boot after savevm and reset'
        out = hmp(src, 'loadvm s1')
        if out.strip():
            return 'loadvm: ' + out.strip()
        src.cmd('system_reset')
        if not src.wait(lambda q: q.text().count('result: PASS') == 3):
            return 'no boot after loadvm and reset'
        boots = [l for l in src.text().splitlines() if l.startswith('boot ')]
        if boots != ['boot 0x0', 'boot 0x1', 'boot 0x1']:
            return 'loadvm did not bring back the saved guest: ' + \
                ', '.join(boots)
    finally:
        src.close()
    dst = QEMU(qemu, tmp, 'dst', load_direct, guest, initrd,
               ('-blockdev', f'driver=file,node-name=f,filename={disk}',
                '-blockdev', 'driver=qcow2,node-name=disk,file=f',
                '-loadvm', 's1'))
    try:
        if not dst.wait(lambda q: q.cmd('query-status')['return']
                        .get('status') == 'running'):
            err = dst.p.stderr.read() if dst.p.poll() is not None else ''
            return '-loadvm did not resume: ' + err.strip()
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
    failed = 0
    for src_direct in (True, False):
        for dst_direct in (True, False):
            tmp = tempfile.mkdtemp()
            pair = '%s-to-%s' % ('direct' if src_direct else 'firmware',
                                 'direct' if dst_direct else 'firmware')
            try:
                why = combo(qemu, gdir, tmp, src_direct, dst_direct)
            finally:
                shutil.rmtree(tmp)
            if why:
                print(f'FAIL migrate/{pair}: {why}')
                failed += 1
            else:
                print(f'ok migrate/{pair}: the reset after -incoming '
                      'booted again')
            tmp = tempfile.mkdtemp()
            try:
                why = snapshot(qemu, gdir, tmp, src_direct, dst_direct)
            finally:
                shutil.rmtree(tmp)
            if why:
                print(f'FAIL snapshot/{pair}: {why}')
                failed += 1
            else:
                print(f'ok snapshot/{pair}: savevm, loadvm, -loadvm in a '
                      'new process, each reset booted again')
    tmp = tempfile.mkdtemp()
    try:
        why = other_kernel_on_destination(qemu, gdir, tmp)
    finally:
        shutil.rmtree(tmp)
    if why:
        print(f'FAIL migrate/other-kernel-on-destination: {why}')
        failed += 1
    else:
        print('ok migrate/other-kernel-on-destination: the reset boots the '
              'kernel the destination names')
    tmp = tempfile.mkdtemp()
    try:
        why = combo(qemu, gdir, tmp, True, True, vmgenid=True)
    finally:
        shutil.rmtree(tmp)
    if why:
        print(f'FAIL migrate/vmgenid: {why}')
        failed += 1
    else:
        print('ok migrate/vmgenid: the ID is in guest memory, and changed '
              'by the destination')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
