#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""change-test.py QEMU GUESTDIR: files that change under a running guest.

The direct path keeps no copy of the kernel or initrd: each reset loads
the files as they are then.  The test guest halts after each boot; the
test changes a file, then resets through QMP, and checks what came of
it:
 - a kernel rebuilt (renamed over) or overwritten in place with another
   kernel boots that kernel (its first instruction exits QEMU with a
   status of its own), whatever its layout;
 - a kernel removed keeps booting the image QEMU holds open;
 - an initrd grown in place is loaded whole (the guest checks it);
 - a file truncated, turned to garbage or replaced by a FIFO stops QEMU
   with one line naming the file and exit status 1, at once.
Prints one "ok" or "FAIL" line per case.
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

MiB = 1 << 20
# mov $5, %al; out %al, $0xf4; hlt: QEMU exits with (5 << 1) | 1 = 11
NEW_KERNEL_STATUS = 11


def exit_kernel(load):
    """A PVH ELF64 kernel at @load whose entry exits QEMU with status 11"""
    b = bytearray(0x2000)
    b[0:16] = b'\x7fELF\x02\x01\x01' + bytes(9)
    struct.pack_into('<HHIQQQIHHHHHH', b, 16, 2, 62, 1, load, 64, 0, 0, 64,
                     56, 2, 0, 0, 0)
    note = struct.pack('<III', 4, 8, 18) + b'Xen\0' + struct.pack('<Q', load)
    struct.pack_into('<IIQQQQQQ', b, 64, 1, 7, 0x1000, load, load, 0x100,
                     0x100, 0x1000)
    struct.pack_into('<IIQQQQQQ', b, 120, 4, 4, 0x800, 0, 0, len(note),
                     len(note), 4)
    b[0x800:0x800 + len(note)] = note
    b[0x1000:0x1005] = b'\xb0\x05\xe6\xf4\xf4'
    return bytes(b)


def initrd_bytes(n):
    return bytes((i * 7 + 3) & 255 for i in range(n))


class Guest:
    def __init__(self, qemu, tmp, kernel, initrd):
        self.out = os.path.join(tmp, 'out')
        self.err = os.path.join(tmp, 'err')
        sock = os.path.join(tmp, 'qmp')
        for f in (self.out, sock):
            if os.path.exists(f):
                os.unlink(f)
        self.p = subprocess.Popen(
            [qemu, '-M', 'pc', '-m', '64M', '-display', 'none',
             '-no-user-config', '-kernel', kernel, '-initrd', initrd,
             '-append', 'change halt',
             '-chardev', f'file,id=dc,path={self.out}',
             '-device', 'isa-debugcon,iobase=0xe9,chardev=dc',
             '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
             '-qmp', f'unix:{sock},server=on,wait=off'],
            stderr=open(self.err, 'w'))
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(sock)
        self.f = self.s.makefile('rw')
        self.f.readline()
        self.cmd('qmp_capabilities')

    def cmd(self, name):
        self.f.write(json.dumps({'execute': name}) + '\n')
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line or 'return' in json.loads(line):
                return

    def text(self):
        return open(self.out).read() if os.path.exists(self.out) else ''

    def boots(self, k, timeout=30):
        """True once k boots reported PASS"""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.text().count('result: PASS') >= k:
                return True
            if 'FAIL' in self.text() or self.p.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def status(self, timeout=30):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return 'still running'

    def stderr(self):
        return open(self.err).read().strip()

    def close(self):
        self.p.kill()
        self.p.wait()


def main():
    qemu, gdir = sys.argv[1:3]
    tmp = tempfile.mkdtemp()
    failed = 0
    k, i = os.path.join(tmp, 'kernel.elf'), os.path.join(tmp, 'initrd.img')

    def in_place(path, data):
        with open(path, 'r+b') as f:
            f.truncate(0)
            f.write(data)

    def renamed_over(path, data):
        with open(path + '.new', 'wb') as f:
            f.write(data)
        os.replace(path + '.new', path)

    def fifo_over(path, data):
        os.mkfifo(path + '.fifo')
        os.replace(path + '.fifo', path)

    def grow(path, data):
        with open(path, 'ab') as f:
            f.write(data)

    # name, file, change, data, what must follow the reset
    cases = [
        ('kernel overwritten in place by another kernel (at 16 MiB)', k,
         in_place, exit_kernel(16 * MiB), 'new'),
        ('kernel renamed over by another kernel (at 2 MiB)', k,
         renamed_over, exit_kernel(2 * MiB), 'new'),
        ('kernel rewritten in place with the same bytes', k, in_place,
         None, 'same'),
        ('kernel removed', k, lambda p, d: os.unlink(p), None, 'same'),
        ('kernel truncated to 0 bytes', k, in_place, b'',
         "kernel '%s': file is empty" % k),
        ('kernel truncated to 100 bytes', k, in_place, None,
         "kernel '%s': program headers" % k),
        ('kernel overwritten with garbage', k, in_place, b'\xcc' * 65536,
         "kernel '%s': not an ELF image" % k),
        ('kernel replaced by a FIFO', k, fifo_over, None,
         "kernel '%s': a FIFO, not a regular file" % k),
        ('initrd grown in place to 8 KiB', i, grow, initrd_bytes(8192)[4096:],
         'grown'),
        ('initrd renamed over by an 8 KiB one', i, renamed_over,
         initrd_bytes(8192), 'grown'),
        ('initrd truncated to 0 bytes', i, in_place, b'',
         "initrd '%s': file is empty" % i),
        ('initrd replaced by a FIFO', i, fifo_over, None,
         "initrd '%s': a FIFO, not a regular file" % i),
    ]
    for name, path, change, data, want in cases:
        shutil.copy(os.path.join(gdir, 'guest64.elf'), k)
        with open(i, 'wb') as f:
            f.write(initrd_bytes(4096))
        if data is None and 'same bytes' in name:
            data = open(k, 'rb').read()
        if data is None and '100 bytes' in name:
            data = open(k, 'rb').read()[:100]
        g = Guest(qemu, tmp, k, i)
        why = None
        try:
            if not g.boots(1):
                why = 'first boot did not pass: ' + g.text()[-300:]
            else:
                change(path, data)
                g.cmd('system_reset')
                if want == 'new':
                    st = g.status()
                    if st != NEW_KERNEL_STATUS or g.stderr():
                        why = (f'exit status {st} (want {NEW_KERNEL_STATUS}, '
                               f'the new kernel), stderr {g.stderr()!r}')
                elif want in ('same', 'grown'):
                    if not g.boots(2):
                        why = 'second boot did not pass: ' + g.text()[-300:]
                    elif want == 'grown' and \
                            'ok initrd size = 0x2000' not in g.text():
                        why = 'the grown initrd was not loaded whole'
                else:
                    st, err = g.status(), g.stderr()
                    if st != 1:
                        why = f'exit status {st} (want 1); stderr {err!r}'
                    elif len(err.splitlines()) != 1 or want not in err:
                        why = f'stderr {err!r} lacks {want!r} on one line'
        finally:
            g.close()
            for f in (k, i):
                if os.path.lexists(f):
                    os.unlink(f)
        if why:
            print(f'FAIL change/{name}: {why}')
            failed += 1
        else:
            print(f'ok change/{name}')
    shutil.rmtree(tmp)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
