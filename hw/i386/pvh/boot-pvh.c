/*
 * Direct kernel boot: the PVH protocol (QEMU glue)
 *
 * An ELF kernel with a XEN_ELFNOTE_PHYS32_ENTRY note, entered as the
 * x86/HVM direct boot ABI says: %ebx at hvm_start_info (version 1:
 * memory map, command line, initrd as module 0).  The platform
 * (platform.c) does the rest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "hw/xen/start_info.h"
#include "platform.h"
#include "boot-pvh.h"
#include "trace.h"

/* Our offsets must agree with Xen's structure definitions. */
QEMU_BUILD_BUG_ON(sizeof(struct hvm_start_info) != PVH_SI_SIZE);
QEMU_BUILD_BUG_ON(offsetof(struct hvm_start_info, memmap_entries) !=
                  PVH_SI_MEMMAP_ENTRIES);
QEMU_BUILD_BUG_ON(offsetof(struct hvm_start_info, rsdp_paddr) !=
                  PVH_SI_RSDP_PADDR);
QEMU_BUILD_BUG_ON(sizeof(struct hvm_modlist_entry) != PVH_MOD_ENTRY_SIZE);
QEMU_BUILD_BUG_ON(sizeof(struct hvm_memmap_table_entry) !=
                  PVH_MEMMAP_ENTRY_SIZE);
QEMU_BUILD_BUG_ON(XEN_HVM_START_MAGIC_VALUE != PVH_START_MAGIC);

/*
 * What upstream's loader says of the same -kernel file, in front of
 * ours, for tools that grep for it: an ELF without the PVH note, or one
 * it cannot load.  (An unpacked payload is no file upstream ever read.)
 */
static const char *pvh_elf_upstream_words(const PVHFile *f, PVHElfError err)
{
    if (strcmp(f->what, "kernel")) {
        return "";
    }
    return err == PVH_ELF_NO_NOTE ?
           "Error loading uncompressed kernel without PVH ELF Note: " :
           "Error while loading elf kernel: ";
}

/*
 * Parse the ELF from a snapshot of the bytes the parser reads, not
 * from a mapping of the file: a file truncated under a mapping would
 * fault QEMU.  The snapshot is sparse anonymous memory.
 */
bool pvh_boot_pvh_parse_elf(const PVHFile *f, PVHElfImage *img, Error **errp)
{
    g_autofree char *why = NULL;
    PVHElfError err;
    uint8_t *buf;
    bool ok;

    if (f->size > SIZE_MAX) {
        error_setg(errp, "%s '%s': too large", f->what, f->name);
        return false;
    }
    buf = mmap(NULL, f->size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (buf == MAP_FAILED) {
        error_setg_errno(errp, errno, "%s '%s': no memory to read "
                         "its headers", f->what, f->name);
        return false;
    }
    ok = pvh_elf_snapshot(buf, f->size, pvh_files_pread, (void *)f);
    err = ok ? pvh_elf_parse(buf, f->size, img) : PVH_ELF_OK;
    munmap(buf, f->size);
    if (!ok) {
        error_setg(errp, "%s '%s': shorter than its 0x%" PRIx64
                   " bytes: it changed while being read", f->what, f->name,
                   f->size);
        return false;
    }
    if (err != PVH_ELF_OK) {
        why = pvh_elf_describe(err, img);
        error_setg(errp, "%s%s '%s': %s", pvh_elf_upstream_words(f, err),
                   f->what, f->name, why);
        return false;
    }
    return true;
}

static bool pvh_parse(PVHBoot *b, PVHElfImage *img, Error **errp)
{
    return pvh_boot_pvh_parse_elf(&b->kernel, img, errp);
}

void pvh_boot_pvh_install(PVHBoot *b)
{
    const PVHLayout *lay = &b->lay;
    uint8_t start_info[PVH_SI_SIZE];
    uint8_t modlist[PVH_MOD_ENTRY_SIZE];
    g_autofree uint8_t *memmap = g_malloc(lay->nr_memmap *
                                          PVH_MEMMAP_ENTRY_SIZE);

    pvh_layout_write_memmap(lay, memmap);
    pvh_guest_ram_write(lay->memmap, memmap,
                       lay->nr_memmap * PVH_MEMMAP_ENTRY_SIZE);
    if (lay->initrd_size) {
        pvh_layout_write_modlist(lay, modlist);
        pvh_guest_ram_write(lay->modlist, modlist, sizeof(modlist));
    }
    pvh_layout_write_start_info(lay, start_info);
    pvh_guest_ram_write(lay->start_info, start_info, sizeof(start_info));
}

void pvh_boot_pvh_entry(PVHBoot *b, PVHCpuState *s)
{
    pvh_cpu_state_pvh(b->load.entry, b->lay.start_info, s);
}

static const PVHProtocol pvh_protocol = {
    .name = "PVH",
    .host_kaslr = true,
    .parse = pvh_parse,
    .install = pvh_boot_pvh_install,
    .entry = pvh_boot_pvh_entry,
};

bool pvh_boot_pvh_load(X86MachineState *x86ms, uint64_t acpi_size,
                       Error **errp)
{
    return pvh_platform_load(x86ms, &pvh_protocol, NULL, acpi_size, errp);
}

bool pvh_firmware_check_elf(const char *name, uint32_t *entry, Error **errp)
{
    PVHFile f = { .fd = -1 };
    g_autofree PVHLayout *lay = g_new0(PVHLayout, 1);
    g_autofree char *why = NULL;
    PVHLayoutError err;
    PVHElfImage img;
    bool ok;

    ok = pvh_files_open(&f, "kernel", name, errp) &&
         pvh_boot_pvh_parse_elf(&f, &img, errp);
    pvh_files_close(&f);
    if (!ok) {
        return false;
    }
    err = pvh_platform_layout_init(lay);
    if (!err) {
        err = pvh_layout_check_kernel(lay, &img);
    }
    if (err) {
        why = pvh_layout_describe(err, lay);
        error_setg(errp, "kernel '%s': %s", name, why);
        return false;
    }
    trace_pvh_firmware_kernel(name, img.entry, img.nr_segments);
    *entry = img.entry;
    return true;
}
