/*
 * Direct kernel boot: the BIOS area, which no one runs (QEMU glue)
 *
 * A kernel booted directly never runs the BIOS, but its area stays:
 * OSes scan its E and F segments for the RSDP and the SMBIOS entry
 * point (platform.c writes copies there), and its content matters in
 * two cases only:
 *  - the kernel turns out to need firmware after all (a bzImage whose
 *    entry needs BIOS services, a plain ELF): pvh_direct_require_bios()
 *    loads the file before the first reset;
 *  - a migration or a snapshot starts: its destination may boot through
 *    firmware at its next reset, from the BIOS image that guest RAM
 *    carries over.  The file is read then, at migration set-up, and the
 *    area gets the file's bytes back where the direct path wrote its
 *    copies of the RSDP and the SMBIOS entry point, at every migration.
 * Until one of them happens, the file is neither read nor copied into
 * guest RAM: the area's pages are not touched, most of the cost of a
 * 256 KiB BIOS at start-up.  The guest cannot write the area (it is
 * read-only, like the ROM it stands for), so once filled it stays so.
 *
 * Where the area is RAM the guest could run (microvm's), its reset vector
 * resets the machine, for kernels that reboot by jumping there
 * (pvh_bios_area_reset_vector()).
 *
 * The PCI option ROMs, which only firmware runs, go the same way
 * (pci_set_lazy_option_roms()): a ROM BAR's file is read when the guest
 * first maps the BAR, a migration starts or the kernel needs firmware.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/notify.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "compat.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "hw/i386/pvh.h"
#include "hw/pci/pci.h"
#include "migration/misc.h"
#include "platform.h"
#include "trace.h"

static struct {
    char *missing;              /* the BIOS name that was not found */
    char *file;                 /* the BIOS file not read yet */
    MemoryRegion *mr;
    bool filled;
    /* The file's bytes where the direct path writes its own */
    uint8_t under[PVH_BIOS_OURS_SIZE];
    NotifierWithReturn setup;
} pvh_bios_area;

void pvh_direct_note_missing_bios(const char *bios_name)
{
    pci_set_lazy_option_roms(true);
    g_free(pvh_bios_area.missing);
    pvh_bios_area.missing = g_strdup(bios_name);
}

bool pvh_bios_area_range(uint64_t *base, uint64_t *size)
{
    if (!pvh_bios_area.mr) {
        return false;
    }
    *size = memory_region_size(pvh_bios_area.mr);
    *base = 4 * GiB - *size;
    return true;
}

/* Where the direct path's bytes sit in the area, and in guest memory */
static uint64_t pvh_bios_area_ours_offset(void)
{
    return memory_region_size(pvh_bios_area.mr) -
           (1 * MiB - PVH_BIOS_OURS_ADDR);
}

/*
 * Put the file's own bytes back where the direct path wrote its copies
 * of the SMBIOS entry point and the RSDP.  The area travels with a
 * migration or a snapshot, and a destination that boots through
 * firmware must find the BIOS exactly as a fresh start would: with our
 * bytes in it, SeaBIOS's tables came second to a stale RSDP at 0xf0040
 * that pointed into tables the firmware boot had overwritten.  The
 * guest that runs on keeps what it read at boot; its next reset on the
 * direct path writes the copies again.
 */
static void pvh_bios_area_restore_under(void)
{
    uint64_t size = memory_region_size(pvh_bios_area.mr);

    address_space_write_rom(&address_space_memory,
                            4 * GiB - size + pvh_bios_area_ours_offset(),
                            MEMTXATTRS_UNSPECIFIED, pvh_bios_area.under,
                            PVH_BIOS_OURS_SIZE);
}

/* Fill the area from the file, as a firmware boot would find it */
static bool pvh_bios_area_fill(Error **errp)
{
    uint64_t size = memory_region_size(pvh_bios_area.mr);
    g_autofree char *buf = NULL;
    g_autoptr(GError) gerr = NULL;
    gsize len;

    if (!g_file_get_contents(pvh_bios_area.file, &buf, &len, &gerr)) {
        error_setg(errp, "could not read PC BIOS '%s': %s", pvh_bios_area.file,
                   gerr->message);
        return false;
    }
    if (len != size) {
        error_setg(errp, "PC BIOS '%s' is now %zu bytes, was %" PRIu64,
                   pvh_bios_area.file, (size_t)len, size);
        return false;
    }
    memcpy(pvh_bios_area.under, buf + pvh_bios_area_ours_offset(),
           PVH_BIOS_OURS_SIZE);
    address_space_write_rom(&address_space_memory, 4 * GiB - size,
                            MEMTXATTRS_UNSPECIFIED, buf, size);
    pvh_bios_area.filled = true;
    return true;
}

/* Migration and snapshot set-up: the destination may boot through it */
static int pvh_bios_area_migration_setup(NotifierWithReturn *n, void *data,
                                         Error **errp)
{
    PrecopyNotifyData *pnd = data;
    Error *err = NULL;

    if (pnd->reason != PRECOPY_NOTIFY_SETUP) {
        return 0;
    }
    if (pvh_bios_area.filled) {
        pvh_bios_area_restore_under();
        return 0;
    }
    trace_pvh_direct_bios_fill(pvh_bios_area.file, "migration");
    if (!pvh_bios_area_fill(&err)) {
        /* A destination that boots directly does not need it */
        warn_reportf_err(err, "a destination that boots through "
                         "firmware cannot reset this guest: ");
    }
    return 0;
}

void pvh_direct_defer_bios(MemoryRegion *mr, const char *filename)
{
    pci_set_lazy_option_roms(true);
    g_free(pvh_bios_area.file);
    pvh_bios_area.file = g_strdup(filename);
    pvh_bios_area.mr = mr;
    pvh_bios_area.filled = false;
    if (!pvh_bios_area.setup.notify) {
        pvh_bios_area.setup.notify = pvh_bios_area_migration_setup;
        precopy_add_notifier(&pvh_bios_area.setup);
    }
}

bool pvh_direct_require_bios(Error **errp)
{
    uint64_t size;

    pci_set_lazy_option_roms(false);
    if (pvh_bios_area.missing) {
        error_setg(errp, "could not load PC BIOS '%s'", pvh_bios_area.missing);
        return false;
    }
    if (!pvh_bios_area.file || pvh_bios_area.filled) {
        return true;
    }
    /* Before the first reset: nothing of ours in the area yet */
    trace_pvh_direct_bios_fill(pvh_bios_area.file, "firmware boot");
    size = memory_region_size(pvh_bios_area.mr);
    if (load_image_size(pvh_bios_area.file,
                        memory_region_get_ram_ptr(pvh_bios_area.mr),
                        size) != size) {
        error_setg(errp, "could not load PC BIOS '%s'", pvh_bios_area.file);
        return false;
    }
    memcpy(pvh_bios_area.under,
           (uint8_t *)memory_region_get_ram_ptr(pvh_bios_area.mr) +
           pvh_bios_area_ours_offset(), PVH_BIOS_OURS_SIZE);
    pvh_bios_area.filled = true;
    return true;
}

/* 0xfffe8: an IDT of limit 0; 0xffff0: lidt cs:[0xffe8]; int3; hlt */
#define PVH_RESET_STUB_ADDR 0xfffe8
static const uint8_t pvh_reset_stub[] = {
    0, 0, 0, 0, 0, 0, 0, 0,
    0x2e, 0x0f, 0x01, 0x1e, 0xe8, 0xff, 0xcc, 0xf4,
};

void pvh_bios_area_reset_vector(X86MachineState *x86ms)
{
    if (!memory_region_size(&x86ms->bios) ||
        memory_region_is_rom(&x86ms->bios)) {
        return;     /* ROM (pc, q35): the guest reboots through ACPI */
    }
    address_space_write_rom(&address_space_memory, PVH_RESET_STUB_ADDR,
                            MEMTXATTRS_UNSPECIFIED, pvh_reset_stub,
                            sizeof(pvh_reset_stub));
}
