/*
 * Direct kernel boot: the ACPI and SMBIOS tables as firmware installs
 * them (QEMU glue, pc and q35)
 *
 * QEMU builds the tables for firmware (acpi_build(), fw_cfg's SMBIOS
 * blobs).  Here the table-loader script runs host-side (table-loader.c) into
 * the tables area the layout reserved, the SMBIOS structure table goes
 * at the area's end and its entry point into the F segment, and a copy
 * of the RSDP where OSes scan for it.
 *
 * microvm builds its tables once, at machine-done (acpi_setup_microvm()),
 * and never again: its fw_cfg files are the tables of every reset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "compat.h"
#include "hw/boards.h"
#include "hw/qdev-core.h"
#include "hw/acpi/aml-build.h"
#include "hw/i386/pc.h"
#include "hw/i386/microvm.h"
#include "hw/i386/acpi-build.h"
#include "hw/i386/fw_cfg.h"
#include "hw/acpi/vmgenid.h"
#include "hw/firmware/smbios.h"
#include "hw/nvram/fw_cfg.h"
#include "chipset.h"
#include "guest-ram.h"
#include "table-loader.h"
#include "smbios-anchor.h"
#include "platform.h"
#include "tables.h"
#include "trace.h"

/*
 * The end of the tables area holds the SMBIOS structure table: this
 * much of it at least, more when the tables QEMU built are larger.
 */
#define PVH_SMBIOS_SIZE 0x4000

/*
 * The room for microvm's ACPI tables (a DSDT with its virtio-mmio
 * transports, the FADT and a MADT of up to 288 CPUs take ~8 KiB)
 */
#define PVH_MICROVM_ACPI_SIZE 0x20000

/* What pvh_tables_install_acpi() keeps from one reset to the next */
#define PVH_ACPI_FILES 4
typedef struct PVHAcpiPointer {
    char dest[PVH_LINKER_FILESZ];
    uint32_t offset;
    uint8_t size;
    uint64_t value;
} PVHAcpiPointer;

typedef struct PVHAcpiCache {
    uint64_t base, size;        /* the area they were linked in; 0: none */
    uint64_t used;
    uint64_t facs;
    PVHAcpiFile files[PVH_ACPI_FILES];  /* linked, data owned */
    uint64_t data_end[PVH_ACPI_FILES];  /* pvh_table_loader_data_end() */
    unsigned nr_pointers;
    PVHAcpiPointer pointers[4];
} PVHAcpiCache;

/* One machine per process */
static PVHAcpiCache pvh_tables_acpi_cache;
/* fw_cfg's tables: the first reset's */
static bool pvh_tables_acpi_machine_done;

/*
 * ACPI tables only where QEMU builds them: pc and q35 with ACPI on.
 * @size, what firmware reserved for ACPI, also held the SMBIOS tables.
 */
/* Tables built once, at machine-done, and never again: microvm's */
static bool pvh_tables_acpi_fixed(X86MachineState *x86ms)
{
    return object_dynamic_cast(OBJECT(x86ms), TYPE_MICROVM_MACHINE);
}

uint64_t pvh_tables_acpi_area(X86MachineState *x86ms, uint64_t size)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);

    if (pvh_tables_acpi_fixed(x86ms)) {
        return x86_machine_is_acpi_enabled(x86ms) ? PVH_MICROVM_ACPI_SIZE : 0;
    }
    if (!pcms || !pcms->acpi_build_enabled ||
        !x86_machine_is_acpi_enabled(x86ms) || size <= PVH_SMBIOS_SIZE) {
        return 0;
    }
    return size - PVH_SMBIOS_SIZE;
}

/*
 * WRITE_POINTER: firmware wrote the guest address of a blob into a
 * writable fw_cfg file, and the device behind the file (vmgenid) takes
 * it from there; write it the way a guest write does.
 */
/* WRITE_POINTER commands, kept to be replayed at the next reset */
static bool pvh_tables_acpi_record_pointer(void *opaque, const char *dest,
                                           uint32_t offset, uint8_t size,
                                           uint64_t value)
{
    PVHAcpiCache *c = opaque;
    PVHAcpiPointer *p;

    if (c->nr_pointers == ARRAY_SIZE(c->pointers)) {
        return false;
    }
    p = &c->pointers[c->nr_pointers++];
    g_strlcpy(p->dest, dest, sizeof(p->dest));
    p->offset = offset;
    p->size = size;
    p->value = value;
    return true;
}

static void pvh_tables_acpi_cache_clear(PVHAcpiCache *c)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        g_free(c->files[i].data);
    }
    memset(c, 0, sizeof(*c));
}

/*
 * A file for the table-loader: a copy of @size bytes at @data, less the
 * zero padding the script @cmd does not reach (of the 128 KiB of
 * "etc/acpi/tables", ~10 KiB are tables): a full copy would fault in
 * 32 fresh pages of host memory for nothing.
 */
static PVHAcpiFile pvh_tables_acpi_file(const char *name, const void *data,
                                        size_t size, const uint8_t *cmd,
                                        size_t cmd_len)
{
    uint64_t keep = MIN(size, MAX(pvh_table_loader_data_end(data, size),
                                  pvh_table_loader_extent(cmd, cmd_len, name)));

    return (PVHAcpiFile) { name, g_memdup2(data, keep), keep, 0, size };
}

/*
 * The tables acpi_setup() put in fw_cfg after pvh_tables_machine_done(),
 * and the table-loader script in *@cmd (owned by fw_cfg), for the first
 * reset of a machine nothing was plugged into since, and for every reset
 * of a machine whose tables never change.  False when there are none.
 */
static bool pvh_tables_acpi_take_fw_cfg(X86MachineState *x86ms, bool first,
                                        PVHAcpiFile *files, const uint8_t **cmd,
                                        size_t *cmd_len)
{
    static const char *const names[PVH_ACPI_FILES] = {
        ACPI_BUILD_TABLE_FILE, ACPI_BUILD_RSDP_FILE, ACPI_BUILD_TPMLOG_FILE,
        VMGENID_GUID_FW_CFG_FILE,
    };
    FWCfgState *fw_cfg = x86ms->fw_cfg;
    const void *data;
    size_t len;
    unsigned i;

    if (!pvh_tables_acpi_machine_done || !fw_cfg ||
        ((!first || qdev_machine_modified()) &&
         !pvh_tables_acpi_fixed(x86ms))) {
        return false;
    }
    *cmd = fw_cfg_get_file(fw_cfg, ACPI_BUILD_LOADER_FILE, cmd_len);
    if (!*cmd || !fw_cfg_get_file(fw_cfg, ACPI_BUILD_TABLE_FILE, &len)) {
        return false;
    }
    for (i = 0; i < PVH_ACPI_FILES; i++) {
        data = fw_cfg_get_file(fw_cfg, names[i], &len);
        files[i] = pvh_tables_acpi_file(names[i], data, data ? len : 0, *cmd,
                                        *cmd_len);
    }
    return true;
}

/*
 * Build the tables as the machine is now (or, at the first reset, take
 * those acpi_setup() built) and run QEMU's table-loader script on them
 * host-side (firmware used to), into the cache.
 */
/* The files of tables acpi_build() made, as fw_cfg would hold them */
static void pvh_tables_acpi_built_files(const AcpiBuildTables *t,
                                        PVHAcpiFile *files,
                                        const uint8_t *cmd, size_t cmd_len)
{
    files[0] = pvh_tables_acpi_file(ACPI_BUILD_TABLE_FILE,
                                    t->table_data->data, t->table_data->len,
                                    cmd, cmd_len);
    files[1] = pvh_tables_acpi_file(ACPI_BUILD_RSDP_FILE, t->rsdp->data,
                                    t->rsdp->len, cmd, cmd_len);
    files[2] = pvh_tables_acpi_file(ACPI_BUILD_TPMLOG_FILE, t->tcpalog->data,
                                    t->tcpalog->len, cmd, cmd_len);
    files[3] = pvh_tables_acpi_file(VMGENID_GUID_FW_CFG_FILE,
                                    t->vmgenid->data, t->vmgenid->len,
                                    cmd, cmd_len);
}

static bool pvh_tables_acpi_build(X86MachineState *x86ms, uint64_t base,
                                  uint64_t size, bool first, Error **errp)
{
    PVHAcpiCache *c = &pvh_tables_acpi_cache;
    g_autofree char *why = NULL;
    AcpiBuildTables tables;
    PVHAcpiFile *files = c->files;
    PVHAcpiLinker l = {
        .files = files, .nr_files = ARRAY_SIZE(c->files),
        .base = base, .size = size,
        .write_pointer = pvh_tables_acpi_record_pointer, .opaque = c,
    };
    const uint8_t *cmd;
    size_t cmd_len;
    bool built = false;
    PVHAcpiError err;
    unsigned i;

    pvh_tables_acpi_cache_clear(c);
    if (!pvh_tables_acpi_take_fw_cfg(x86ms, first, files, &cmd, &cmd_len)) {
        if (pvh_tables_acpi_fixed(x86ms)) {
            error_setg(errp, "ACPI tables: the machine put none in fw_cfg");
            return false;
        }
        built = true;
        acpi_build_tables_init(&tables);
        acpi_build(&tables, MACHINE(x86ms));
        cmd = (const uint8_t *)tables.linker->cmd_blob->data;
        cmd_len = tables.linker->cmd_blob->len;
        pvh_tables_acpi_built_files(&tables, files, cmd, cmd_len);
    }
    trace_pvh_direct_acpi_source(built ? "acpi_build" : "machine-done");
    err = pvh_table_loader_link(&l, cmd, cmd_len);
    if (built) {
        acpi_build_tables_cleanup(&tables, true);
    }
    if (err) {
        why = pvh_table_loader_describe(err, &l);
        error_setg(errp, "ACPI tables: %s%s", why,
                   err == PVH_ACPI_UNKNOWN_FILE ?
                   "; this device needs firmware, use pvh-direct=off" : "");
        pvh_tables_acpi_cache_clear(c);
        return false;
    }
    c->base = base;
    c->size = size;
    c->used = l.used;
    c->facs = pvh_table_loader_find_facs(files, ARRAY_SIZE(c->files),
                                         files[1].addr);
    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        c->data_end[i] = pvh_table_loader_data_end(files[i].data,
                                                   files[i].size);
    }
    return true;
}

bool pvh_tables_install_acpi(X86MachineState *x86ms, uint64_t base,
                             uint64_t size, bool first, uint64_t *rsdp,
                             Error **errp)
{
    PVHAcpiCache *c = &pvh_tables_acpi_cache;
    FWCfgState *fw_cfg = x86ms->fw_cfg;
    bool cached = c->base && c->base == base && c->size == size &&
                  !qdev_machine_modified();
    uint8_t le[8];
    unsigned i;

    if (!cached && !pvh_tables_acpi_build(x86ms, base, size, first, errp)) {
        return false;
    }
    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        if (c->files[i].addr) {
            pvh_guest_ram_write(c->files[i].addr, c->files[i].data,
                                c->data_end[i]);
            pvh_guest_ram_clear(c->files[i].addr + c->data_end[i],
                                pvh_table_loader_room(&c->files[i]) -
                                c->data_end[i]);
        }
    }
    /* WRITE_POINTER: tell the device behind the fw_cfg file (vmgenid) */
    for (i = 0; i < c->nr_pointers; i++) {
        const PVHAcpiPointer *p = &c->pointers[i];

        stq_le_p(le, p->value);
        if (!fw_cfg || !fw_cfg_write_file(fw_cfg, p->dest, p->offset, le,
                                          p->size)) {
            error_setg(errp, "ACPI tables: WRITE_POINTER into '%s' refused",
                       p->dest);
            return false;
        }
    }
    *rsdp = c->files[1].addr;
    /* A copy where OSes that do not read rsdp_paddr scan for it */
    if (c->files[1].size <= PVH_RSDP_LEGACY_SIZE) {
        address_space_write_rom(&address_space_memory, PVH_RSDP_LEGACY_ADDR,
                                MEMTXATTRS_UNSPECIFIED, c->files[1].data,
                                c->files[1].size);
    }
    trace_pvh_direct_acpi(c->files[1].addr, c->used, size, cached);
    return true;
}

/* The size the SMBIOS tables QEMU built take in the tables area */
uint64_t pvh_tables_smbios_size(void)
{
    const uint8_t *tables, *anchor;
    size_t tables_len, anchor_len;

    if (!fw_cfg_get_smbios(&tables, &tables_len, &anchor, &anchor_len)) {
        return PVH_SMBIOS_SIZE;
    }
    return MAX(PVH_SMBIOS_SIZE, QEMU_ALIGN_UP(tables_len, 0x1000));
}

/*
 * The SMBIOS tables QEMU built for firmware: the structure table at the
 * end of the tables area, the entry point where OSes without EFI scan
 * for it (the F segment, ROM here, so written as ROM).
 */
bool pvh_tables_install_smbios(uint64_t at, uint64_t room, Error **errp)
{
    const uint8_t *tables, *anchor;
    size_t tables_len, anchor_len;
    g_autofree uint8_t *ep = NULL;

    if (!fw_cfg_get_smbios(&tables, &tables_len, &anchor, &anchor_len)) {
        return true;
    }
    if (tables_len > room) {
        /* pvh_refresh() sized the area from the same tables */
        error_setg(errp, "SMBIOS tables: %zu bytes, more than the %" PRIu64
                   " reserved for them", tables_len, room);
        return false;
    }
    ep = g_memdup2(anchor, anchor_len);
    if (!pvh_smbios_anchor_fix(ep, anchor_len, at)) {
        error_setg(errp, "SMBIOS tables: malformed entry point");
        return false;
    }
    pvh_guest_ram_write(at, tables, tables_len);
    address_space_write_rom(&address_space_memory, PVH_SMBIOS_ANCHOR_ADDR,
                            MEMTXATTRS_UNSPECIFIED, ep, anchor_len);
    return true;
}

/*
 * SMBIOS tables where QEMU builds them: pc and q35.  Their BIOS
 * information (type 0), which firmware adds on its path, is QEMU's here.
 */
uint64_t pvh_tables_smbios_area(X86MachineState *x86ms)
{
    if (!object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE)) {
        return 0;
    }
    smbios_set_type0_defaults(PVH_SMBIOS_BIOS_VENDOR, QEMU_VERSION,
                              PVH_QEMU_RELEASE_DATE, QEMU_VERSION_MAJOR,
                              QEMU_VERSION_MINOR);
    return PVH_SMBIOS_SIZE;
}

uint64_t pvh_tables_facs(void)
{
    return pvh_tables_acpi_cache.facs;
}

void pvh_tables_machine_done(X86MachineState *x86ms)
{
    if (!pvh_tables_acpi_fixed(x86ms)) {
        pvh_chipset_prepare_tables(x86ms);
    }
    pvh_tables_acpi_machine_done = true;
}

void pvh_tables_free(void)
{
    pvh_tables_acpi_cache_clear(&pvh_tables_acpi_cache);
}
