#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkbzimage.py FLAT MEMSZ OUT: wrap a flat 32-bit image linked at 1 MiB
in a bzImage setup header (protocol 2.15, not relocatable, 4 setup
sectors); init_size is MEMSZ, the image with its bss."""
import struct
import sys


def bzimage(pm, init_size, payload_length=0):
    """The setup header and PM, the protected-mode part (padded to 16
    bytes); a payload_length puts a payload at offset 0 of PM"""
    pm += b'\0' * (-len(pm) % 16)
    setup = bytearray(5 * 512)
    setup[0x1f1] = 4                                    # setup_sects
    struct.pack_into('<I', setup, 0x1f4, len(pm) // 16)     # syssize
    setup[0x1fe:0x200] = b'\x55\xaa'
    setup[0x200:0x202] = b'\xeb\x6a'                    # header ends at 0x26c
    setup[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', setup, 0x206, 0x20f)
    setup[0x211] = 0x01                                 # LOADED_HIGH
    struct.pack_into('<I', setup, 0x214, 0x100000)      # code32_start
    struct.pack_into('<I', setup, 0x22c, 0x7fffffff)    # initrd_addr_max
    struct.pack_into('<I', setup, 0x230, 0x1000)        # kernel_alignment
    struct.pack_into('<I', setup, 0x238, 2047)          # cmdline_size
    struct.pack_into('<II', setup, 0x248, 0, payload_length)  # payload_*
    struct.pack_into('<Q', setup, 0x258, 0x100000)      # pref_address
    struct.pack_into('<I', setup, 0x260, max(init_size, len(pm)))
    return bytes(setup) + pm


if __name__ == '__main__':
    flat = open(sys.argv[1], 'rb').read()
    open(sys.argv[3], 'wb').write(bzimage(flat, int(sys.argv[2], 0)))
