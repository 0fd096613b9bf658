/*
 * Direct kernel boot: the multiboot memory information (pure code)
 *
 * multiboot_dma.bin took mem_lower from int 12h and the memory map from
 * int 15h e820, and counted mem_upper as the RAM contiguous from 1 MiB.
 * Here the same fields come from the memory map the platform builds,
 * which describes the 640 KiB - 1 MiB hole and the ACPI tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "multiboot-info.h"

#define LOW_END     0xa0000ULL
#define HIGH_START  0x100000ULL

/* The end of the RAM run that contains @addr, or @addr if none does */
static uint64_t ram_run_end(const PVHRange *map, unsigned nr, uint64_t addr,
                            uint64_t limit)
{
    bool moved = true;

    /* Like the ROM: entries need not be sorted, so search until stable */
    while (moved && addr < limit) {
        unsigned i;

        moved = false;
        for (i = 0; i < nr; i++) {
            if (map[i].type == PVH_E820_RAM && map[i].addr <= addr &&
                addr - map[i].addr < map[i].size) {
                addr = MIN(map[i].addr + map[i].size, limit);
                moved = true;
            }
        }
    }
    return addr;
}

void pvh_multiboot_trap_write(uint16_t port, uint8_t *ivt, uint8_t *stubs)
{
    const unsigned common = 256 * 5;
    unsigned n;

    for (n = 0; n < 256; n++) {
        uint8_t *s = stubs + n * 5;

        /* IVT entry: offset, segment */
        stw_le_p(ivt + n * 4, (PVH_MULTIBOOT_TRAP_BASE & 0xf) + n * 5);
        stw_le_p(ivt + n * 4 + 2, PVH_MULTIBOOT_TRAP_BASE >> 4);
        s[0] = 0xb0;                            /* mov $n, %al */
        s[1] = n;
        s[2] = 0xe9;                            /* jmp common */
        stw_le_p(s + 3, common - (n * 5 + 5));
    }
    stubs[common] = 0xba;                       /* mov $port, %dx */
    stw_le_p(stubs + common + 1, port);
    stubs[common + 3] = 0xee;                   /* out %al, (%dx) */
    stubs[common + 4] = 0xfa;                   /* cli */
    stubs[common + 5] = 0xf4;                   /* 1: hlt */
    stubs[common + 6] = 0xeb;                   /* jmp 1b */
    stubs[common + 7] = 0xfd;
}

uint32_t pvh_multiboot_memory(const PVHRange *map, unsigned nr,
                              uint8_t *mmap, uint32_t *mem_lower,
                              uint32_t *mem_upper)
{
    unsigned i;

    for (i = 0; i < nr; i++) {
        uint8_t *e = mmap + i * PVH_MULTIBOOT_MMAP_ENTRY;

        stl_le_p(e, PVH_MULTIBOOT_MMAP_ENTRY - 4);
        stq_le_p(e + 4, map[i].addr);
        stq_le_p(e + 12, map[i].size);
        stl_le_p(e + 20, map[i].type);
    }
    *mem_lower = ram_run_end(map, nr, 0, LOW_END) >> 10;
    *mem_upper = (ram_run_end(map, nr, HIGH_START, PVH_4G) - HIGH_START) >> 10;
    return nr * PVH_MULTIBOOT_MMAP_ENTRY;
}
