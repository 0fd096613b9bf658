#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the malformed-kernel corpus: gen-malformed.py OUTDIR

Also writes OUTDIR/odd-<name>.elf, well-formed oddities that must boot,
listed in OUTDIR/oddities.txt (name | file | extra QEMU args).

Writes OUTDIR/<name>.elf (or other files) and OUTDIR/cases.tsv, one line
per case:  name | file | extra QEMU args | expected substring
of the one-line error.  Every case must make QEMU exit with status 1 and
print exactly one line naming the file and the defect.
"""
import gzip
import lzma
import os
import struct
import subprocess
import sys

MiB = 1 << 20


def elf(is64=True, machine=None, loads=None, notes=None, size=0x3000,
        phentsize=None, phnum=None, data=1, cls=None, etype=2,
        note_align=4):
    """An ELF image: loads = [(offset, paddr, filesz, memsz)],
    notes = [bytes of one PT_NOTE segment]"""
    loads = [(0x1000, MiB, 0x100, 0x2000)] if loads is None else loads
    notes = [note("Xen", 18, struct.pack('<Q', MiB + 0x10))] \
        if notes is None else notes
    b = bytearray(size)
    b[0:4] = b'\x7fELF'
    b[4] = cls if cls is not None else (2 if is64 else 1)
    b[5] = data
    b[6] = 1
    ehsz, phsz = (64, 56) if is64 else (52, 32)
    struct.pack_into('<HHI', b, 16, etype,
                     machine if machine is not None else (62 if is64 else 3), 1)
    phs = [(1, o, p, f, m, 0x1000) for (o, p, f, m) in loads]
    off = 0x800
    for n in notes:
        b[off:off + len(n)] = n
        phs.append((4, off, 0, len(n), len(n), note_align))
        off += (len(n) + 7) & ~7
    n_ph = len(phs) if phnum is None else phnum
    if is64:
        struct.pack_into('<QQQIHHHHHH', b, 24, MiB + 0x10, ehsz, 0, 0, ehsz,
                         phentsize or phsz, n_ph, 0, 0, 0)
    else:
        struct.pack_into('<IIIIHHHHHH', b, 24, MiB + 0x10, ehsz, 0, 0, ehsz,
                         phentsize or phsz, n_ph, 0, 0, 0)
    for i, (t, o, p, f, m, a) in enumerate(phs):
        at = ehsz + i * phsz
        if is64:
            struct.pack_into('<IIQQQQQQ', b, at, t, 7, o, p, p, f, m, a)
        else:
            struct.pack_into('<IIIIIIII', b, at, t, o, p, p, f, m, 7, a)
    return bytes(b)


def note(name, ntype, desc, namesz=None, descsz=None):
    nb = name.encode() + b'\0' if isinstance(name, str) else name
    n = struct.pack('<III', len(nb) if namesz is None else namesz,
                    len(desc) if descsz is None else descsz, ntype)
    pad = lambda x: x + b'\0' * (-len(x) % 4)
    return n + pad(nb) + pad(desc)


def patch(img, off, fmt, *vals):
    b = bytearray(img)
    struct.pack_into(fmt, b, off, *vals)
    return bytes(b)


def bzimage(proto=0x20f, setup_sects=4, syssize=None, size=0x4000,
            loadflags=1, code32=MiB, reloc=1, pref=16 * MiB,
            init_size=0x100000, cmdline_size=255, initrd_max=0x7fffffff,
            xlf=0, align=0x200000):
    """A bzImage: setup header, then the protected-mode kernel"""
    b = bytearray(size)
    setup = (setup_sects + 1) * 512
    if syssize is None:
        syssize = max(size - setup, 0) // 16
    b[0x1f1] = setup_sects
    struct.pack_into('<I', b, 0x1f4, syssize)
    b[0x200:0x202] = b'\xeb\x6a'              # header ends at 0x26c
    b[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', b, 0x206, proto)
    b[0x211] = loadflags
    struct.pack_into('<I', b, 0x214, code32)
    struct.pack_into('<I', b, 0x22c, initrd_max)
    struct.pack_into('<I', b, 0x230, align)
    b[0x234] = reloc
    struct.pack_into('<H', b, 0x236, xlf)
    struct.pack_into('<I', b, 0x238, cmdline_size)
    struct.pack_into('<Q', b, 0x258, pref)
    struct.pack_into('<I', b, 0x260, init_size)
    return bytes(b)


PVH8 = struct.pack('<Q', MiB + 0x10)
good = elf()
ON = '-M pc,direct-boot=on '
UNPACK = '-M pc,pvh-unpack=on '


def pack(data, fmt='gzip', size=None):
    """data compressed as Linux packs vmlinux, with its size trailer"""
    if fmt == 'gzip':
        c = gzip.compress(data)
    elif fmt == 'xz':
        c = lzma.compress(data, format=lzma.FORMAT_XZ,
                          check=lzma.CHECK_CRC32)
    elif fmt == 'zstd':
        c = subprocess.run(['zstd', '-q', '-c'], input=data,
                           stdout=subprocess.PIPE, check=True).stdout
    else:
        c = fmt
    return c + struct.pack('<I', len(data) if size is None else size)


def packed(payload, off=0x40, length=None, proto=0x20f):
    """A bzImage whose payload (payload_offset, payload_length) is given"""
    setup = 5 * 512
    size = setup + max(0x3600, (off + len(payload) + 15) & ~15)
    b = bytearray(bzimage(proto=proto, size=size))
    b[setup + off:setup + off + len(payload)] = payload
    struct.pack_into('<II', b, 0x248, off,
                     len(payload) if length is None else length)
    return bytes(b)


def corrupt(data, at):
    """data with one byte flipped"""
    b = bytearray(data)
    b[at] ^= 0x55
    return bytes(b)


MB_MAGIC = 0x1badb002


def mboot(flags=0x10003, load=MiB, load_end=None, bss_end=None,
          header_addr=None, checksum=None, size=0x2000):
    """A multiboot kernel with the a.out kludge: its header at offset 0
    gives the addresses; it loads at @load, the entry 0x40 bytes in"""
    b = bytearray(size)
    cs = (-(MB_MAGIC + flags)) & 0xffffffff if checksum is None else checksum
    struct.pack_into('<8I', b, 0, MB_MAGIC, flags, cs,
                     load if header_addr is None else header_addr, load,
                     load + size if load_end is None else load_end,
                     load + size + 0x1000 if bss_end is None else bss_end,
                     load + 0x40)
    return bytes(b)


def with_multiboot(img, off=0xc00):
    """img with a multiboot header (ELF kind, flags 3) at file offset off"""
    b = bytearray(img)
    b[off:off + 32] = mboot(flags=3, size=32)
    return bytes(b)
NOBIOS = '-bios /nonexistent/bios-256k.bin'

CASES = [
    # name, content, extra args, expected substring
    ('empty', b'', '', 'file is empty'),
    ('truncated-ident', good[:6], '', 'ELF header truncated'),
    ('truncated-ehdr', good[:40], '', 'ELF header truncated'),
    ('truncated-phdrs', good[:100], '', 'program headers'),
    ('bad-class', elf(cls=7), '', 'unknown ELF class 7'),
    ('big-endian', elf(data=2), '', 'not little-endian'),
    ('not-executable', elf(etype=3), '', 'ELF type 3 is not an executable'),
    ('wrong-machine-arm', elf(machine=40), '', 'ELF machine 40 is not x86'),
    ('wrong-machine-ppc', elf(machine=20), '', 'ELF machine 20 is not x86'),
    ('phentsize-lies', elf(phentsize=40), '', 'program header size 40'),
    ('phnum-zero', elf(phnum=0), '', 'no program headers'),
    ('phnum-lies', elf(phnum=0xfff0), '', 'run past the end of the file'),
    ('phoff-past-end', patch(good, 32, '<Q', 0x100000), '',
     'program headers (offset 0x100000'),
    ('phoff-wraps', patch(good, 32, '<Q', 2**64 - 16), '',
     'run past the end of the file'),
    ('segment-offset-past-end', elf(loads=[(0x8000, MiB, 0x100, 0x100)]), '',
     'segment 0 (offset 0x8000'),
    ('segment-filesz-past-end', elf(loads=[(0x1000, MiB, 0x9000, 0x9000)]),
     '', 'runs past the end of the file'),
    ('filesz-gt-memsz', elf(loads=[(0x1000, MiB, 0x200, 0x100)]), '',
     'exceeds its memory size'),
    ('segment-wraps', elf(loads=[(0x1000, 2**64 - 0x1000, 0x100, 0x2000)]),
     '', 'wraps the address space'),
    ('segment-above-4g', elf(loads=[(0x1000, 5 << 30, 0x100, 0x100)]), '',
     'ends above 4 GiB'),
    ('segment-outside-ram', elf(loads=[(0x1000, 512 * MiB, 0x100, 0x100)],
                                notes=[note("Xen", 18, struct.pack('<Q', 512 * MiB))]),
     '', 'is not in guest RAM'),
    ('segment-past-ram-end', elf(loads=[(0x1000, MiB, 0x100, 200 * MiB)]),
     '', 'is not in guest RAM'),
    ('segment-in-vga-hole', elf(loads=[(0x1000, 0xa0000, 0x100, 0x100)],
                                notes=[note("Xen", 18, struct.pack('<Q', 0xa0000))]),
     '', 'is not in guest RAM'),
    ('segment-in-bios-hole', elf(loads=[(0x1000, 0xf0000, 0x100, 0x100)],
                                 notes=[note("Xen", 18, struct.pack('<Q', 0xf0000))]),
     '', 'is not in guest RAM'),
    ('segments-overlap', elf(loads=[(0x1000, MiB, 0x100, 0x2000),
                                    (0x1000, MiB + 0x1000, 0x100, 0x100)]),
     '', 'overlaps the segment at 0x100000'),
    ('no-load-segment', elf(loads=[]), '', 'no loadable segment'),
    ('no-pvh-note', elf(notes=[]), '', 'no PVH entry note'),
    ('wrong-owner', elf(notes=[note("Xem", 18, PVH8)]), '', 'no PVH entry note'),
    ('owner-gnu', elf(notes=[note("GNU", 18, PVH8)]), '', 'no PVH entry note'),
    ('owner-no-nul', elf(notes=[note(b"Xen", 18, PVH8)]), '',
     'no PVH entry note'),
    ('note-namesz-huge', elf(notes=[note("Xen", 18, PVH8, namesz=0xfffffff0)]),
     '', 'namesz 4294967280'),
    ('note-descsz-huge', elf(notes=[note("Xen", 18, PVH8, descsz=0x7ffffffc)]),
     '', 'descsz 2147483644'),
    ('note-descsz-2', elf(notes=[note("Xen", 18, b'\x10\x00')]), '',
     'descsz 2 (expected 4 or 8)'),
    ('note-descsz-16', elf(notes=[note("Xen", 18, PVH8 + PVH8)]), '',
     'descsz 16 (expected 4 or 8)'),
    ('note-truncated', elf(notes=[note("Xen", 18, PVH8)[:18]]), '',
     'runs past the end of the segment'),
    ('two-pvh-notes', elf(notes=[note("Xen", 18, PVH8) + note("Xen", 18, PVH8)]),
     '', 'more than one PVH entry note'),
    ('entry-zero', elf(notes=[note("Xen", 18, struct.pack('<Q', 0))]), '',
     'PVH entry point is 0'),
    ('entry-above-4g', elf(notes=[note("Xen", 18, struct.pack('<Q', (1 << 32) + MiB))]),
     '', 'does not fit in 32 bits'),
    ('entry-outside-segments', elf(notes=[note("Xen", 18, struct.pack('<Q', 64 * MiB))]),
     '', 'is outside every loaded segment'),
    ('elf32-entry-outside', elf(is64=False, notes=[note("Xen", 18, struct.pack('<I', 0x500000))]),
     '', 'is outside every loaded segment'),
    ('elf32-segment-past-end', elf(is64=False, loads=[(0x1000, MiB, 0x9000, 0x9000)]),
     '', 'runs past the end of the file'),
    # XEN_ELFNOTE_PHYS32_RELOC: alignment, minimum, maximum (u32 each)
    ('reloc-descsz-16', elf(notes=[note("Xen", 19, struct.pack(
        '<IIII', 0x200000, 0, 0xffffffff, 0)) + note("Xen", 18, PVH8)]), '',
     'PVH relocation note has descsz 16 (expected 4, 8 or 12)'),
    ('reloc-align-3m', elf(notes=[note("Xen", 19, struct.pack(
        '<I', 0x300000)) + note("Xen", 18, PVH8)]), '',
     'PVH relocation alignment 0x300000 is not a power of two'),
    ('reloc-min-above-max', elf(notes=[note("Xen", 19, struct.pack(
        '<III', 0x1000, 0x2000000, 0x1000000)) + note("Xen", 18, PVH8)]), '',
     'minimum 0x2000000 above maximum 0x1000000'),
    ('reloc-range-too-small', elf(notes=[note("Xen", 19, struct.pack(
        '<III', 0x1000, MiB, MiB + 0xfff)) + note("Xen", 18, PVH8)]), '',
     'cannot hold the image'),
    # Linked at 16 MiB in 12 MiB of RAM, without the note: refused
    ('not-relocatable-outside-ram',
     elf(loads=[(0x1000, 16 * MiB, 0x100, 0x100)],
         notes=[note("Xen", 18, struct.pack('<Q', 16 * MiB + 0x10))]),
     '-m 12M', 'is not in guest RAM'),
    # Files and options around a good kernel
    ('missing-file', None, '', 'No such file or directory'),
    ('directory', 'DIR', '', 'a directory, not a regular file'),
    # Refused before they are opened: a FIFO with no writer hung QEMU
    ('fifo', 'FIFO', '', 'a FIFO, not a regular file'),
    ('device', '/dev/zero', '', 'a character device, not a regular file'),
    ('initrd-fifo', good, '-initrd @DIR@/fifo.img', 'a FIFO, not a regular file'),
    ('initrd-device', good, '-initrd /dev/zero',
     'a character device, not a regular file'),
    ('initrd-missing', good, '-initrd @DIR@/does-not-exist.img',
     'error reading initrd @DIR@/does-not-exist.img: No such file or '
     'directory'),
    ('initrd-empty', good, '-initrd @DIR@/empty.img', 'file is empty'),
    ('initrd-larger-than-ram', good, '-initrd @DIR@/big.img',
     'does not fit in free RAM below 4 GiB'),
    ('initrd-directory', good, '-initrd @DIR@', 'not a regular file'),
    # A confidential guest's memory is private: direct boot forced on is
    # refused (under TCG, the accelerator would refuse SEV only later)
    ('confidential-sev', good,
     '-M pvh-direct=on,confidential-guest-support=cg0 '
     '-object sev-guest,id=cg0,cbitpos=47,reduced-phys-bits=1',
     'direct-boot=on cannot boot a confidential guest (sev-guest)'),
    # bzImages (the Linux 32-bit boot protocol)
    ('bz-setup-past-eof', bzimage(setup_sects=200), '',
     'setup_sects gives 102912 bytes of setup code, the file has 16384'),
    ('bz-syssize-past-eof', bzimage(syssize=0x800), '',
     'syssize gives a 32768-byte kernel, the file has 13824'),
    ('bz-syssize-zero', bzimage(syssize=0), '', 'syssize is 0'),
    ('bz-header-ends-early', patch(bzimage(), 0x201, '<B', 0x20), '',
     "setup header ends at 0x222 (its jump at 0x200), before the end of its "
     "protocol 2.15's fields at 0x264"),
    ('bz-truncated-header', bzimage()[:0x220], '',
     'ends inside its setup header'),
    ('bz-init-size-over-ram', bzimage(init_size=512 * MiB), '',
     'no free RAM for the relocatable kernel (0x20000000 bytes)'),
    ('bz-not-relocatable-over-ram', bzimage(reloc=0, init_size=512 * MiB),
     '', 'is not in guest RAM'),
    ('bz-init-size-past-4g', bzimage(pref=0xfff00000, init_size=2 * MiB), '',
     'ends above 4 GiB'),
    ('bz-cmdline-over-cmdline-size', bzimage(), '-append ' + 'x' * 300,
     'command line of 300 bytes is longer than the 255 its setup header '
     'accepts'),
    ('bz-initrd-over-initrd-addr-max', bzimage(initrd_max=0x3fffff),
     '-initrd @DIR@/mid.img',
     "does not fit in free RAM below 0x400000 (the kernel's "
     "initrd_addr_max)"),
    ('bz-bad-alignment', bzimage(align=0x300000), '',
     'kernel_alignment 0x300000, not a power of two'),
    ('bz-dtb-protocol-2.08', bzimage(proto=0x208), '-dtb @DIR@/x.dtb',
     'boot protocol 2.08 is too old to load a dtb'),
    ('bz-initrd-fifo', bzimage(), '-initrd @DIR@/fifo.img',
     'a FIFO, not a regular file'),
    # Images whose entry needs the BIOS: refused with direct boot forced
    # on; on auto they take the firmware path (seen here by the BIOS
    # file that path needs)
    ('bz-protocol-2.01-on', bzimage(proto=0x201), ON,
     'boot protocol 2.01 is older than 2.02'),
    ('bz-zimage-on', bzimage(loadflags=0), ON, 'a zImage (LOADED_HIGH clear)'),
    ('bz-code32-0-on', bzimage(proto=0x207, code32=0), ON,
     'code32_start is 0x0, not 0x100000'),
    ('bz-protocol-2.01-auto', bzimage(proto=0x201), NOBIOS,
     "could not load PC BIOS '/nonexistent/bios-256k.bin'"),
    ('bz-code32-0-auto', bzimage(proto=0x207, code32=0), NOBIOS,
     "could not load PC BIOS '/nonexistent/bios-256k.bin'"),
    ('bz-confidential-sev', bzimage(),
     '-M direct-boot=on,confidential-guest-support=cg0 '
     '-object sev-guest,id=cg0,cbitpos=47,reduced-phys-bits=1',
     'direct-boot=on cannot boot a confidential guest (sev-guest)'),
    # pvh-unpack=on: the payload unpacked in QEMU, booted through PVH
    ('unpack-no-payload-fields', packed(pack(good), proto=0x207), UNPACK,
     'boot protocol 2.07 does not say where its payload is'),
    ('unpack-payload-outside', packed(pack(good), length=0x10000), UNPACK,
     'payload_offset 0x40 and payload_length 0x10000 are not inside its '
     'protected-mode kernel'),
    ('unpack-unknown-format', packed(pack(good, b'\0' * 64)), UNPACK,
     'its payload is unknown, and this QEMU unpacks gzip, XZ, ZSTD only'),
    ('unpack-bzip2', packed(pack(good, b'BZh91AY&SY' + b'\0' * 64)), UNPACK,
     'its payload is bzip2, and this QEMU unpacks gzip, XZ, ZSTD only'),
    ('unpack-trailer-zero', packed(pack(good, size=0)), UNPACK,
     "its payload's size trailer says it unpacks to 0 bytes (1 to 1 GiB)"),
    ('unpack-trailer-2g', packed(pack(good, size=2048 * MiB)), UNPACK,
     "its payload's size trailer says it unpacks to 2147483648 bytes"),
    ('unpack-gzip-truncated', packed(pack(good, gzip.compress(good)[:-20])),
     UNPACK, 'its gzip payload is corrupt or truncated'),
    ('unpack-xz-corrupt', packed(pack(good, corrupt(
        lzma.compress(good, format=lzma.FORMAT_XZ), 40))), UNPACK,
     'its XZ payload is corrupt or truncated'),
    ('unpack-zstd-over-trailer', packed(pack(good, 'zstd', size=0x2000)),
     UNPACK, 'its ZSTD payload unpacks to more bytes than its size trailer '
     'says'),
    ('unpack-gzip-over-trailer', packed(pack(good, size=0x2000)), UNPACK,
     'its gzip payload unpacks to more bytes than its size trailer says'),
    ('unpack-xz-under-trailer', packed(pack(good, 'xz', size=0x4000)),
     UNPACK, 'its XZ payload unpacks to fewer bytes than its size trailer '
     'says'),
    ('unpack-not-elf', packed(pack(b'not an ELF kernel' * 64)), UNPACK,
     "unpacked kernel '@DIR@/unpack-not-elf.elf': not an ELF image"),
    ('unpack-elf-no-pvh-note', packed(pack(elf(notes=[]))), UNPACK,
     "unpacked kernel '@DIR@/unpack-elf-no-pvh-note.elf': ELF image has no "
     "PVH entry note"),
    ('unpack-dtb', packed(pack(good)), UNPACK + '-dtb @DIR@/x.dtb',
     '-dtb needs the Linux boot protocol, and pvh-unpack=on boots through '
     'PVH'),
    # Multiboot with direct boot on (stock QEMU: exit 1 with "invalid
    # load_end_addr address" and the like, or a guest that runs garbage)
    ('mb-bad-checksum', mboot(checksum=0x12345678), ON,
     'its multiboot header has a wrong checksum'),
    ('mb-load-end-past-file', mboot(load_end=MiB + 0x3000), ON,
     '0x3000 bytes from offset 0x0 (up to load_end_addr) are past the end '
     'of the file'),
    ('mb-load-end-under-load', mboot(load_end=MiB - 0x1000), ON,
     'load_end_addr 0xff000 is below load_addr 0x100000'),
    ('mb-bss-end-under-load-end', mboot(bss_end=MiB + 0x1000), ON,
     'bss_end_addr 0x101000 is below load_end_addr 0x102000'),
    ('mb-header-addr-under-load', mboot(header_addr=MiB - 4), ON,
     'header_addr 0xffffc is below load_addr 0x100000'),
    ('mb-bss-past-ram', mboot(bss_end=MiB + 200 * MiB), ON,
     'past the 0x8000000 bytes of RAM below 4 GiB'),
    ('mb-module-past-ram', mboot(), ON + '-initrd @DIR@/big.img',
     "module '@DIR@/big.img': its 167772160 bytes, after the kernel and 0 "
     "modules, end at"),
    ('mb-too-many-modules', mboot(),
     ON + '-initrd ' + ','.join(['@DIR@/mid.img'] * 16),
     "module '@DIR@/mid.img': its 8388608 bytes, after the kernel and 15 "
     "modules, end at"),
    ('mb-module-missing', mboot(), ON + '-initrd @DIR@/does-not-exist.img',
     "Failed to open file '@DIR@/does-not-exist.img': multiboot module: "
     "No such file or directory"),
    ('mb-x86-64-elf', None, ON, 'Cannot load x86-64 image, give a 32bit one: '
     "multiboot kernel '@DIR@/mb-x86-64-elf.elf' is an x86-64 ELF image"),
    # Without a BIOS file only a kernel booted directly starts
    ('bzimage-without-bios', b'\0' * 0x202 + b'HdrS' + b'\x0c\x02' + b'\0' * 0x1000,
     '-bios /nonexistent/bios-256k.bin',
     "could not load PC BIOS '/nonexistent/bios-256k.bin'"),
]


# Entry code of the oddities: mov $0, %al; out %al, $0xf4; hlt.  With
# -device isa-debug-exit,iobase=0xf4 QEMU exits with status 1 at once.
EXIT_CODE = b'\xb0\x00\xe6\xf4\xf4'


def bootable(img, file_off):
    """img with the exit code at file offset file_off (the entry)"""
    b = bytearray(img)
    b[file_off:file_off + len(EXIT_CODE)] = EXIT_CODE
    return bytes(b)


PVH4 = struct.pack('<I', MiB + 0x10)
M16 = 16 * MiB
ODDITIES = [
    # name, image: each must boot (entry at file offset 0x1010)
    ('elf32', elf(is64=False, notes=[note("Xen", 18, PVH4)])),
    ('elf64-desc4', elf(notes=[note("Xen", 18, PVH4)])),
    ('note-after-others', elf(notes=[note("GNU", 3, b'\1\2\3\4\5\6\7\x08')
                                     + note("Linux", 1, b'abc')
                                     + note("Xen", 6, b'xen-3.0\0')
                                     + note("Xen", 18, PVH8)])),
    ('several-pt-notes', elf(notes=[note("GNU", 3, b'abcd'),
                                    note("Linux", 2, b'xy'),
                                    note("Xen", 18, PVH8)])),
    ('pt-note-align8', elf(notes=[note("GNU", 5, b'\1' * 12)
                                  + note("Xen", 18, PVH8)], note_align=8)),
    ('p-align-0', elf(notes=[note("Xen", 18, PVH8)], note_align=0)),
    ('phys32-reloc-note', elf(notes=[note("Xen", 19, struct.pack(
        '<III', 0x200000, 0, 0xffffffff)) + note("Xen", 18, PVH8)])),
    ('bss-segments', elf(loads=[(0x1000, MiB, 0x100, 0x8000),
                                (0, MiB + 0x10000, 0, 0x20000)])),
    ('loaded-at-16m', elf(loads=[(0x1000, M16, 0x100, 0x100000)],
                          notes=[note("Xen", 18, struct.pack('<Q', M16 + 0x10))])),
]

# name, image, extra QEMU args, size the file is extended to (sparse)
ODDITIES_WITH_ARGS = [
    # Found by an adversarial run: the file size was cut to an int, and
    # a 4 GiB kernel was "empty"
    ('sparse-4g', elf(), '', 4 << 30),
    # The kernel sits where firmware puts the ACPI and SMBIOS tables (the
    # top 160 KiB of RAM): the tables move below it.  The guest used to
    # reset for ever, its tables written over it.
    ('tables-under-kernel',
     elf(loads=[(0x1000, 2 * MiB, 0x100, 0x10000)],
         notes=[note("Xen", 18, struct.pack('<Q', 2 * MiB + 0x10))]),
     '-m 2200K', 0),
    # 80 OEM strings of 250 characters: SMBIOS tables over the 16 KiB the
    # tables area used to hold for them
    ('smbios-20k', elf(),
     ' '.join(['-smbios type=11,value=' + 'x' * 250] * 80), 0),
    # SMBIOS without ACPI, as firmware gave it
    ('smbios-acpi-off', elf(), '-M acpi=off', 0),
    # Linked at 16 MiB in 12 MiB of RAM, relocatable from 2 MiB: moved
    ('relocated-into-ram',
     elf(loads=[(0x1000, 16 * MiB, 0x100, 0x100)],
         notes=[note("Xen", 19, struct.pack('<III', 0x200000, 0x200000,
                                            0xffffffff)),
                note("Xen", 18, struct.pack('<Q', 16 * MiB + 0x10))]),
     '-m 12M', 0),
    # No BIOS file installed, or -bios naming a missing one
    ('no-bios-file', elf(), '-bios /nonexistent/bios-256k.bin', 0),
]

# bzImages that boot: name, image, extra QEMU args; the entry is the
# first byte of the protected-mode kernel
BZ_ODDITIES = [
    ('bz-relocatable', bzimage(), NOBIOS),
    # memtest86+'s kind: protocol 2.12, not relocatable, at 1 MiB
    ('bz-memtest-like', bzimage(proto=0x20c, reloc=0, pref=MiB), ''),
    ('bz-protocol-2.02', bzimage(proto=0x202), ''),
    # initrd_addr_max 4 MiB, XLF_CAN_BE_LOADED_ABOVE_4G: above 4 GiB
    ('bz-initrd-above-4g', bzimage(initrd_max=0x3fffff, xlf=3),
     '-m 5G -initrd @DIR@/mid.img'),
    ('bz-dtb', bzimage(), '-dtb @DIR@/x.dtb'),
    ('bz-q35', bzimage(), '-M q35'),
]


# bzImages whose payload is a bootable ELF (entry at 0x1010): each boots
# with pvh-unpack=on, in every format, on pc and q35
UNPACK_ODDITIES = [
    ('unpack-gzip', packed(pack(bootable(good, 0x1010))), UNPACK),
    ('unpack-xz', packed(pack(bootable(good, 0x1010), 'xz')), UNPACK),
    ('unpack-zstd', packed(pack(bootable(good, 0x1010), 'zstd')), UNPACK),
    ('unpack-q35', packed(pack(bootable(good, 0x1010))),
     '-M q35,pvh-unpack=on'),
]


# name, image, extra QEMU args, entry's file offset: each boots
MB_ODDITIES = [
    ('mb-aout', mboot(), ON, 0x40),
    ('mb-aout-modules', mboot(), ON + '-initrd @DIR@/mid.img,@DIR@/x.dtb',
     0x40),
    ('mb-aout-q35', mboot(), '-M q35,direct-boot=on', 0x40),
    # Multiboot and PVH both: prefer-pvh=on takes the PVH entry
    ('mb-and-pvh-prefer-pvh',
     with_multiboot(elf(notes=[note("Xen", 18, PVH8)])),
     '-M pc,prefer-pvh=on', 0x1010),
]

FIRMWARE = '-machine pvh-direct=off'


# bzImages refused alike whichever path loads them; the others are
# about the initrd, the dtb or what the direct path needs
FIRMWARE_BZ = {'bz-setup-past-eof', 'bz-syssize-past-eof', 'bz-syssize-zero',
               'bz-header-ends-early', 'bz-truncated-header',
               'bz-init-size-past-4g', 'bz-cmdline-over-cmdline-size',
               'bz-bad-alignment', 'bz-init-size-over-ram',
               'bz-not-relocatable-over-ram'}


def firmware_too(name, content, extra):
    """Does the firmware path refuse this case alike?  PVH ELF kernels
    and FIRMWARE_BZ: multiboot and unpacked kernels have checks of their
    own."""
    if name in FIRMWARE_BZ:
        return True
    return (isinstance(content, bytes) and content[:4] == b'\x7fELF' and
            not extra and not name.startswith(('bz-', 'mb-', 'unpack-')))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'empty.img'), 'wb'):
        pass
    os.mkfifo(os.path.join(out, 'fifo.img'))
    # 160 MiB, sparse: larger than the 128 MiB guest
    with open(os.path.join(out, 'big.img'), 'wb') as f:
        f.truncate(160 * MiB)
    with open(os.path.join(out, 'mid.img'), 'wb') as f:
        f.truncate(8 * MiB)
    with open(os.path.join(out, 'x.dtb'), 'wb') as f:
        f.write(b'\xd0\x0d\xfe\xed' + b'\0' * 60)
    lines = []
    for name, content, extra, expect in CASES:
        path = os.path.join(out, name + '.elf')
        if content == 'DIR':
            os.makedirs(path, exist_ok=True)
        elif content == 'FIFO':
            os.mkfifo(path)
        elif isinstance(content, str):
            path = content
        elif content is None and name == 'mb-x86-64-elf':
            with open(path, 'wb') as f:
                f.write(with_multiboot(elf()))
        elif content is not None:
            with open(path, 'wb') as f:
                f.write(content)
        lines.append('|'.join([name, path, extra.replace('@DIR@', out),
                               expect.replace('@DIR@', out)]))
    # The firmware path (pvh-direct=off) checks a PVH kernel and a
    # bzImage's header with the same parsers: the same refusals.
    # Upstream's own note reader died of SIGFPE on p_align 0 and of
    # SIGSEGV on a huge namesz; truncated bzImages ran garbage.
    for name, content, extra, expect in CASES:
        if firmware_too(name, content, extra):
            lines.append('|'.join(['firmware-' + name,
                                   os.path.join(out, name + '.elf'),
                                   (extra + ' ' + FIRMWARE).strip(),
                                   expect]))
    with open(os.path.join(out, 'cases.tsv'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(os.path.join(out, 'oddities.txt'), 'w') as f:
        for name, img in ODDITIES:
            path = os.path.join(out, 'odd-' + name + '.elf')
            with open(path, 'wb') as k:
                k.write(bootable(img, 0x1010))
            f.write(f'{name}|{path}|\n')
            f.write(f'firmware-{name}|{path}|{FIRMWARE}\n')
        for name, img, extra, size in ODDITIES_WITH_ARGS:
            path = os.path.join(out, 'odd-' + name + '.elf')
            with open(path, 'wb') as k:
                k.write(bootable(img, 0x1010))
                if size:
                    k.truncate(size)
            f.write(f'{name}|{path}|{extra}\n')
        for name, img, extra, entry in MB_ODDITIES:
            path = os.path.join(out, 'odd-' + name + '.bin')
            with open(path, 'wb') as k:
                k.write(bootable(img, entry))
            f.write(f'{name}|{path}|{extra.replace("@DIR@", out)}\n')
        for name, img, extra in UNPACK_ODDITIES:
            path = os.path.join(out, 'odd-' + name + '.bin')
            with open(path, 'wb') as k:
                k.write(img)
            f.write(f'{name}|{path}|{extra}\n')
        for name, img, extra in BZ_ODDITIES:
            path = os.path.join(out, 'odd-' + name + '.bin')
            with open(path, 'wb') as k:
                k.write(bootable(img, (img[0x1f1] + 1) * 512))
            f.write(f'{name}|{path}|{extra.replace("@DIR@", out)}\n')


if __name__ == '__main__':
    main()
