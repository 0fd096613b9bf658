/*
 * Direct kernel boot: the multiboot memory information (pure code)
 *
 * What multiboot_dma.bin asked the BIOS for (int 12h, int 15h e820)
 * before it entered a multiboot kernel, computed from the memory map
 * the platform gives every protocol.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_MULTIBOOT_INFO_H
#define HW_I386_PVH_MULTIBOOT_INFO_H

#include "layout.h"

#define PVH_MULTIBOOT_MAGIC      0x2badb002     /* in %eax at the entry */
#define PVH_MULTIBOOT_MMAP_ENTRY 24             /* size, base, length, type */

/* The BIOS data area fields firmware filled in */
#define PVH_BDA_EBDA_SEGMENT     0x40e
#define PVH_BDA_BASE_MEMORY      0x413

/*
 * With no firmware, a kernel that calls the BIOS would run whatever the
 * interrupt table points at.  Instead, every real-mode vector points at
 * a handler of ours (5 bytes each, from PVH_MULTIBOOT_TRAP_BASE) that writes
 * its vector number to an I/O port and halts: QEMU then says which
 * interrupt the kernel asked for, and stops.
 */
#define PVH_MULTIBOOT_TRAP_IVT_SIZE  1024
#define PVH_MULTIBOOT_TRAP_BASE      0x600   /* after the BIOS data area */
#define PVH_MULTIBOOT_TRAP_SIZE      (256 * 5 + 8)

/**
 * pvh_multiboot_trap_write: the interrupt vector table and its handlers
 * @port: the I/O port each handler writes its vector number to
 * @ivt: PVH_MULTIBOOT_TRAP_IVT_SIZE bytes, for address 0
 * @stubs: PVH_MULTIBOOT_TRAP_SIZE bytes, for PVH_MULTIBOOT_TRAP_BASE
 */
void pvh_multiboot_trap_write(uint16_t port, uint8_t *ivt, uint8_t *stubs);

/**
 * pvh_multiboot_memory: the multiboot memory map and memory fields
 * @map: the memory map (RAM, reserved, ACPI ranges), sorted, disjoint
 * @nr: its entries
 * @mmap: @nr * PVH_MULTIBOOT_MMAP_ENTRY bytes, filled with the map in
 *     multiboot's format (a 4-byte size of 20 before each entry)
 * @mem_lower: set to the KiB of RAM from 0, at most 640
 * @mem_upper: set to the KiB of RAM from 1 MiB up to the first hole or
 *     reserved range, counted below 4 GiB only
 *
 * Returns the memory map's length in bytes (mmap_length).
 */
uint32_t pvh_multiboot_memory(const PVHRange *map, unsigned nr,
                              uint8_t *mmap, uint32_t *mem_lower,
                              uint32_t *mem_upper);

#endif
