/*
 * Direct kernel boot: writing guest RAM (QEMU glue)
 *
 * Every reset writes the kernel, the tables and the boot information
 * again.  Zeroing skips what reads zero already, so that fresh guest
 * RAM stays unallocated, and the low area where the reset writes a few
 * KiB is kept out of transparent huge pages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/madvise.h"
#include "compat.h"
#include "exec/cpu-common.h"
#include "migration/misc.h"
#include "layout.h"
#include "guest-ram.h"

void pvh_guest_ram_write(hwaddr addr, const void *buf, hwaddr len)
{
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        buf, len);
}

/*
 * Of the @n host pages from @p, set in @untouched those that read as
 * zero without being read: pages of anonymous private guest RAM that
 * were never touched (neither present nor swapped in /proc/self/pagemap).
 * Reading one would fault it in only to find zeroes.  False where this
 * cannot be told (other memory, no pagemap, an incoming postcopy, whose
 * missing pages are still to come).
 */
static bool pvh_untouched_pages(void *p, size_t n, bool *untouched)
{
    static int pagemap = -2;
    size_t psize = qemu_real_host_page_size(), i;
    g_autofree uint64_t *e = g_new(uint64_t, n);
    ram_addr_t offset;
    RAMBlock *rb = qemu_ram_block_from_host(p, false, &offset);

    if (!rb || qemu_ram_get_fd(rb) >= 0 || qemu_ram_is_shared(rb) ||
        qemu_ram_pagesize(rb) != psize || migration_in_incoming_postcopy()) {
        return false;
    }
    if (pagemap == -2) {
        pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    }
    if (pagemap < 0 ||
        pread(pagemap, e, n * sizeof(*e), (uintptr_t)p / psize *
              sizeof(*e)) != n * sizeof(*e)) {
        return false;
    }
    for (i = 0; i < n; i++) {
        /* Bit 63: present; bit 62: swapped */
        untouched[i] = !(e[i] & (3ULL << 62));
    }
    return true;
}

/* Zero what is not zero already in [@p, @p + @len), RAM at @addr */
static void pvh_clear_mapped(hwaddr addr, uint8_t *p, hwaddr len)
{
    size_t psize = qemu_real_host_page_size();
    size_t n = (((uintptr_t)p + len + psize - 1) / psize) -
               (uintptr_t)p / psize;
    g_autofree bool *untouched = g_new0(bool, n);
    hwaddr off = 0;
    size_t i;

    pvh_untouched_pages(QEMU_ALIGN_PTR_DOWN(p, psize), n, untouched);
    for (i = 0; i < n; i++) {
        hwaddr l = MIN(len - off, psize - ((uintptr_t)p + off) % psize);

        if (!untouched[i] && !buffer_is_zero(p + off, l)) {
            address_space_set(&address_space_memory, addr + off, 0, l,
                              MEMTXATTRS_UNSPECIFIED);
        }
        off += l;
    }
}

void pvh_guest_ram_clear(hwaddr addr, hwaddr len)
{
    while (len) {
        hwaddr l = len;
        void *p = address_space_map(&address_space_memory, addr, &l, false,
                                    MEMTXATTRS_UNSPECIFIED);

        if (!p) {
            address_space_set(&address_space_memory, addr, 0, len,
                              MEMTXATTRS_UNSPECIFIED);
            return;
        }
        pvh_clear_mapped(addr, p, l);
        address_space_unmap(&address_space_memory, p, l, false, l);
        addr += l;
        len -= l;
    }
}

void pvh_guest_ram_small_pages(MemoryRegion *mr, uint64_t offset,
                               uint64_t len)
{
    RAMBlock *rb = mr ? mr->ram_block : NULL;
    uint64_t size = mr ? memory_region_size(mr) : 0;

    if (!rb || memory_region_get_fd(mr) >= 0 ||
        qemu_ram_pagesize(rb) != qemu_real_host_page_size() ||
        offset >= size || offset % qemu_real_host_page_size()) {
        return;
    }
    qemu_madvise((uint8_t *)memory_region_get_ram_ptr(mr) + offset,
                 MIN(len, size - offset), QEMU_MADV_NOHUGEPAGE);
}

void pvh_guest_ram_small_pages_low(void)
{
    MemoryRegionSection s = memory_region_find(get_system_memory(), 0, 1);

    if (s.mr) {
        pvh_guest_ram_small_pages(s.mr, s.offset_within_region, PVH_LOW_AREA);
        memory_region_unref(s.mr);
    }
}
