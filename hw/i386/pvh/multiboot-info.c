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
