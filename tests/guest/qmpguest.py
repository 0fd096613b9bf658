# SPDX-License-Identifier: GPL-2.0-or-later
"""The test guest under a QEMU driven through QMP, for the guest tests.

The guest prints to isa-debugcon (port 0xe9) into TAG.out; QEMU's
stderr goes to TAG.err; QMP is a unix socket, negotiated at start.
"""
import json
import os
import socket
import struct
import subprocess
import time

MiB = 1 << 20
# mov $5, %al; out %al, $0xf4; hlt: with isa-debug-exit, status 11
EXIT_KERNEL_STATUS = 11


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
    """The test initrd's content: (i * 7 + 3) & 0xff"""
    return bytes((i * 7 + 3) & 255 for i in range(n))


def qmp_cmd(f, name, args=None):
    """Run a QMP command on the connection @f; its answer (events are
    skipped), or {} once QEMU closed it"""
    f.write(json.dumps({'execute': name, 'arguments': args or {}}) + '\n')
    f.flush()
    while True:
        line = f.readline()
        if not line:
            return {}
        r = json.loads(line)
        if 'return' in r or 'error' in r:
            return r


def qmp_open(sock, proc):
    """Wait for the QMP socket of QEMU @proc, connect and negotiate;
    (socket, file)"""
    for _ in range(400):
        if os.path.exists(sock) or proc.poll() is not None:
            break
        time.sleep(0.05)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    f = s.makefile('rw')
    f.readline()
    qmp_cmd(f, 'qmp_capabilities')
    return s, f


class Guest:
    def __init__(self, qemu, tmp, tag, machine, kernel, initrd, append,
                 extra=()):
        self.out = os.path.join(tmp, f'{tag}.out')
        self.err = os.path.join(tmp, f'{tag}.err')
        sock = os.path.join(tmp, f'{tag}.qmp')
        for f in (self.out, sock):
            if os.path.exists(f):
                os.unlink(f)
        with open(self.err, 'w') as err:
            self.p = subprocess.Popen(
                [qemu, '-M', machine, '-m', '64M', '-display', 'none',
                 '-no-user-config', '-kernel', kernel, '-initrd', initrd,
                 '-append', append,
                 '-chardev', f'file,id=dc,path={self.out}',
                 '-device', 'isa-debugcon,iobase=0xe9,chardev=dc',
                 '-qmp', f'unix:{sock},server=on,wait=off', *extra],
                stderr=err)
        self.s, self.f = qmp_open(sock, self.p)

    def cmd(self, name, args=None, **kw):
        """Run a QMP command; its answer (events are skipped)"""
        return qmp_cmd(self.f, name, dict(args or {}, **kw))

    def text(self):
        return open(self.out).read() if os.path.exists(self.out) else ''

    def wait(self, what, timeout=30):
        """True once what(self) holds; False on timeout or QEMU's exit"""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if what(self):
                return True
            if self.p.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def running(self):
        return self.wait(lambda q: q.cmd('query-status').get('return', {})
                         .get('status') == 'running')

    def status(self, timeout=30):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return 'still running'

    def stderr(self):
        return open(self.err).read().strip()

    def memory(self, tmp, size=64 * MiB):
        path = os.path.join(tmp, 'ram')
        self.cmd('pmemsave', val=0, size=size, filename=path)
        with open(path, 'rb') as f:
            return f.read()

    def close(self):
        self.p.kill()
        self.p.wait()


def report(name, why, ok_text):
    """Print the case's line; 1 if it failed"""
    if why:
        print(f'FAIL {name}: {why}')
        return 1
    print(f'ok {name}: {ok_text}' if ok_text else f'ok {name}')
    return 0
