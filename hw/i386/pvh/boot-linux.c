/*
 * Direct kernel boot: the Linux 32-bit boot protocol (QEMU glue)
 *
 * A bzImage (Documentation/arch/x86/boot.rst): QEMU loads the
 * protected-mode kernel, fills struct boot_params host-side and starts
 * the boot CPU at the kernel's 32-bit entry with %esi at boot_params,
 * the work the 16-bit setup code and linuxboot_dma.bin did with BIOS
 * calls.  The decompressor, and its KASLR, run in the guest as always.
 * The platform (platform.c) does the rest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "platform.h"
#include "linux-header.h"
#include "boot-linux.h"
#include "trace.h"

/* boot_params where the firmware path's setup code had it */
#define PVH_LINUX_INFO_PREF 0x10000

typedef struct PVHLinuxState {
    PVHLinuxImage li;
    uint8_t *dtb;
    uint32_t dtb_size;
} PVHLinuxState;

PVHLinuxError pvh_linux_read(const PVHFile *f, PVHLinuxImage *li,
                             Error **errp)
{
    uint8_t hdr[PVH_LINUX_HEADER_BYTES];
    size_t len = MIN(f->size, sizeof(hdr));

    if (!pvh_files_pread((void *)f, 0, hdr, len)) {
        error_setg(errp, "kernel '%s': shorter than its 0x%" PRIx64
                   " bytes: it changed while being read", f->name, f->size);
        return PVH_LINUX_TRUNCATED;
    }
    return pvh_linux_parse(hdr, len, f->size, li);
}

bool pvh_boot_linux_read_named(const char *name, PVHLinuxImage *li,
                               PVHLinuxError *e, Error **errp)
{
    PVHFile f = { .fd = -1 };
    Error *err = NULL;

    if (!pvh_files_open(&f, "kernel", name, errp)) {
        return false;
    }
    *e = pvh_linux_read(&f, li, &err);
    pvh_files_close(&f);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

void pvh_boot_linux_refuse(const char *name, PVHLinuxError e,
                           const PVHLinuxImage *li, const char *hint,
                           Error **errp)
{
    g_autofree char *why = pvh_linux_describe(e, li);

    error_setg(errp, "%skernel '%s': %s%s",
               e == PVH_LINUX_SETUP_PAST_EOF ? "invalid kernel header: " : "",
               name, why, hint);
}

/* Does the command line fit in what the setup header accepts? */
static bool pvh_linux_cmdline_fits(const char *name, const char *cmdline,
                                   const PVHLinuxImage *li, Error **errp)
{
    if (strlen(cmdline) > li->cmdline_max) {
        error_setg(errp, "kernel '%s': command line of %zu bytes is longer "
                   "than the %" PRIu32 " its setup header accepts "
                   "(cmdline_size)", name, strlen(cmdline), li->cmdline_max);
        return false;
    }
    return true;
}

/* At load and at every reset: the image as the file has it now */
static bool pvh_linux_parse_file(PVHBoot *b, PVHElfImage *img, Error **errp)
{
    PVHLinuxState *st = b->proto_state;
    PVHLinuxImage li;
    Error *err = NULL;
    PVHLinuxError e = pvh_linux_read(&b->kernel, &li, &err);

    if (err) {
        error_propagate(errp, err);
        return false;
    }
    if (e != PVH_LINUX_OK) {
        pvh_boot_linux_refuse(b->kernel.name, e, &li, "", errp);
        return false;
    }
    if (!pvh_linux_cmdline_fits(b->kernel.name, b->cmdline, &li, errp)) {
        return false;
    }
    if (st->dtb && li.protocol < 0x209) {
        error_setg(errp, "Linux kernel too old to load a dtb: kernel '%s': "
                   "boot protocol %u.%02u is too old to load a dtb (2.09 or "
                   "later)", b->kernel.name, li.protocol >> 8,
                   li.protocol & 0xff);
        return false;
    }
    st->li = li;
    *img = li.img;
    trace_pvh_direct_linux(b->kernel.name, li.protocol, li.img.entry,
                           li.img.segments[0].filesz,
                           li.img.segments[0].memsz, li.relocatable);
    return true;
}

static void pvh_linux_prepare(PVHBoot *b, PVHLayout *lay)
{
    PVHLinuxState *st = b->proto_state;

    lay->info_size = pvh_linux_info_size(PVH_MEMMAP_MAX_ENTRIES,
                                         st->dtb_size);
    lay->info_pref = PVH_LINUX_INFO_PREF;
    lay->initrd_limit = MIN(st->li.initrd_limit, PVH_4G);
    lay->initrd_anywhere = st->li.initrd_above_4g;
}

static void pvh_linux_install(PVHBoot *b)
{
    PVHLinuxState *st = b->proto_state;
    const PVHLayout *lay = &b->lay;
    uint64_t size = pvh_linux_info_size(lay->nr_memmap, st->dtb_size);
    g_autofree uint8_t *info = g_malloc(size);
    PVHLinuxPlace p = {
        .info = lay->info,
        .base = b->load.entry,
        .cmdline = lay->cmdline,
        .initrd = lay->initrd,
        .initrd_size = lay->initrd_size,
        .rsdp = lay->rsdp,
        .vga_text = b->vga_text,
    };

    pvh_linux_write_info(&st->li, &p, lay->memmap_entries, lay->nr_memmap,
                         st->dtb, st->dtb_size, info);
    pvh_guest_ram_write(lay->info, info, size);
}

static void pvh_linux_entry(PVHBoot *b, PVHCpuState *s)
{
    pvh_cpu_state_linux32(b->load.entry, b->lay.info,
                          b->lay.info + PVH_LINUX_INFO_GDT, s);
}

static void pvh_linux_cleanup(PVHBoot *b)
{
    PVHLinuxState *st = b->proto_state;

    if (st) {
        g_free(st->dtb);
    }
}

static const PVHProtocol pvh_linux_protocol = {
    .name = "Linux",
    .host_kaslr = false,        /* the decompressor does its own */
    .parse = pvh_linux_parse_file,
    .prepare = pvh_linux_prepare,
    .install = pvh_linux_install,
    .entry = pvh_linux_entry,
    .cleanup = pvh_linux_cleanup,
};

/* The device tree of -dtb, for SETUP_DTB */
static bool pvh_linux_load_dtb(const char *name, PVHLinuxState *st,
                               Error **errp)
{
    g_autoptr(GError) gerr = NULL;
    gsize size;

    if (!g_file_get_contents(name, (gchar **)&st->dtb, &size, &gerr)) {
        error_setg(errp, "error reading dtb %s: %s", name, gerr->message);
        return false;
    }
    if (!size || size > 16 * MiB) {
        error_setg(errp, "dtb '%s': %zu bytes (1 to 16 MiB)", name,
                   (size_t)size);
        g_free(st->dtb);
        st->dtb = NULL;
        return false;
    }
    st->dtb_size = size;
    return true;
}

bool pvh_boot_linux_load(X86MachineState *x86ms, uint64_t acpi_size,
                         Error **errp)
{
    MachineState *ms = MACHINE(x86ms);
    g_autofree PVHLinuxState *st = g_new0(PVHLinuxState, 1);

    if (ms->dtb && !pvh_linux_load_dtb(ms->dtb, st, errp)) {
        return false;
    }
    return pvh_platform_load(x86ms, &pvh_linux_protocol,
                             g_steal_pointer(&st), acpi_size, errp);
}

/*
 * Room for the kernel where its decompressor runs (at 1 MiB, or for a
 * relocatable one anywhere in its range): only the kernel's own
 * placement counts, not the boot structures' of the direct path.
 */
static bool pvh_linux_fits_ram(const char *name, const PVHLinuxImage *li,
                               Error **errp)
{
    g_autofree PVHLayout *lay = g_new0(PVHLayout, 1);
    g_autofree char *why = NULL;
    PVHLayoutError err = pvh_platform_layout_init(lay);

    if (err == PVH_LAYOUT_OK) {
        err = pvh_layout_place(lay, &li->img, 0, 0);
    }
    if (err == PVH_LAYOUT_SEGMENT_NOT_IN_RAM ||
        err == PVH_LAYOUT_SEGMENT_ON_RESERVED ||
        err == PVH_LAYOUT_NO_ROOM_KERNEL) {
        why = pvh_layout_describe(err, lay);
        error_setg(errp, "kernel '%s': %s", name, why);
        return false;
    }
    return true;
}

bool pvh_firmware_check_linux(const char *name, const char *cmdline,
                              Error **errp)
{
    PVHLinuxImage li;
    PVHLinuxError e;

    if (!pvh_boot_linux_read_named(name, &li, &e, errp)) {
        return false;
    }
    if (pvh_linux_needs_firmware(e)) {
        return true;
    }
    if (e != PVH_LINUX_OK) {
        pvh_boot_linux_refuse(name, e, &li, "", errp);
        return false;
    }
    return pvh_linux_cmdline_fits(name, cmdline, &li, errp) &&
           pvh_linux_fits_ram(name, &li, errp);
}
