/*
 * Direct kernel boot: writing guest RAM (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_GUEST_RAM_H
#define HW_I386_PVH_GUEST_RAM_H

#include "exec/hwaddr.h"
#include "compat.h"

/* Write @len bytes into guest RAM at @addr */
void pvh_guest_ram_write(hwaddr addr, const void *buf, hwaddr len);

/*
 * Zero @len bytes of guest RAM at @addr, writing only where they do not
 * read zero already: fresh guest RAM then stays unallocated (reading it
 * maps the host's zero page; a write would allocate and clear a page).
 */
void pvh_guest_ram_clear(hwaddr addr, hwaddr len);

/**
 * pvh_guest_ram_small_pages: back @len bytes of @mr from @offset with
 * base pages, not transparent huge pages
 *
 * The reset writes a few KiB there (boot information, tables, the VGA's
 * font), and the first write to a huge page clears all of its 2 MiB.
 * Only for anonymous memory of base pages; what was already faulted in
 * stays as it is.
 */
void pvh_guest_ram_small_pages(MemoryRegion *mr, uint64_t offset,
                               uint64_t len);

/* The same for the low area (PVH_LOW_AREA) of the RAM at address 0 */
void pvh_guest_ram_small_pages_low(void);

#endif
