/*
 * Direct kernel boot: multiboot (QEMU glue)
 *
 * A Multiboot 0.6.96 kernel.  hw/i386/multiboot.c reads it and its
 * modules and builds the multiboot information, as for the firmware
 * path; here QEMU writes all of it into guest RAM with the memory map
 * and the BIOS data area firmware left, and enters the kernel with
 * %eax = 0x2BADB002 and %ebx at the information: the work of
 * multiboot_dma.bin and the BIOS calls it made.  The platform
 * (platform.c) does the rest.
 *
 * The kernel and modules are read once, at start-up, and the same image
 * is written again at every reset, as the firmware path did from fw_cfg:
 * files changed later are not seen until QEMU restarts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "compat.h"
#include "system/runstate.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "../multiboot.h"
#include "platform.h"
#include "multiboot-info.h"
#include "boot-multiboot.h"
#include "trace.h"

/* Where multiboot_dma.bin put the information and the memory map */
#define PVH_MULTIBOOT_INFO_PREF 0x9000
/* The memory map follows the information structure, 8-byte aligned */
#define PVH_MULTIBOOT_MMAP_OFF  ROUND_UP(MULTIBOOT_MBI_SIZE, 8)

/*
 * The I/O port the BIOS trap's handlers write to (see multiboot-info.h);
 * any device the user puts there takes precedence
 */
#define PVH_MULTIBOOT_TRAP_PORT      0x4f0

typedef struct PVHMultibootState {
    MultibootImage mb;
} PVHMultibootState;

/* One segment: the image multiboot_build() made, written by install */
static bool pvh_multiboot_parse(PVHBoot *b, PVHElfImage *img, Error **errp)
{
    PVHMultibootState *st = b->proto_state;

    memset(img, 0, sizeof(*img));
    img->entry = st->mb.entry;
    img->nr_segments = 1;
    img->segments[0] = (PVHSegment) {
        .paddr = st->mb.phys,
        .memsz = st->mb.size,
    };
    img->scratch = true;
    return true;
}

static void pvh_multiboot_prepare(PVHBoot *b, PVHLayout *lay)
{
    lay->info_size = PVH_MULTIBOOT_MMAP_OFF +
                     PVH_MEMMAP_MAX_ENTRIES * PVH_MULTIBOOT_MMAP_ENTRY;
    lay->info_pref = PVH_MULTIBOOT_INFO_PREF;
    /*
     * mem_upper is the RAM from 1 MiB up to the first hole: tables in
     * the low area would cut it to under 1 MiB.  The top of RAM below
     * 4 GiB, as firmware did.
     */
    lay->tables_pref = 0;
}

static void pvh_multiboot_install(PVHBoot *b)
{
    PVHMultibootState *st = b->proto_state;
    const PVHLayout *lay = &b->lay;
    g_autofree uint8_t *info = g_malloc0(lay->info_size);
    uint32_t lower, upper, len;
    uint8_t bda[PVH_BDA_BASE_MEMORY + 2 - PVH_BDA_EBDA_SEGMENT] = { 0 };

    len = pvh_multiboot_memory(lay->memmap_entries, lay->nr_memmap,
                               info + PVH_MULTIBOOT_MMAP_OFF, &lower, &upper);
    multiboot_set_memory(&st->mb, lower, upper,
                         lay->info + PVH_MULTIBOOT_MMAP_OFF, len);
    memcpy(info, st->mb.mbi, MULTIBOOT_MBI_SIZE);
    pvh_guest_ram_write(st->mb.phys, st->mb.buf, st->mb.size);
    pvh_guest_ram_write(lay->info, info, PVH_MULTIBOOT_MMAP_OFF + len);
    /*
     * The BIOS data area, which kernels read before they trust the
     * information (Xen places its trampoline below the EBDA or the base
     * memory size): no EBDA, the base memory int 12h gave.
     */
    stw_le_p(bda + PVH_BDA_BASE_MEMORY - PVH_BDA_EBDA_SEGMENT, lower);
    pvh_guest_ram_write(PVH_BDA_EBDA_SEGMENT, bda, sizeof(bda));
    /* The interrupt table of no firmware, unless the image is down there */
    if (st->mb.phys >= PVH_MULTIBOOT_TRAP_BASE + PVH_MULTIBOOT_TRAP_SIZE) {
        uint8_t ivt[PVH_MULTIBOOT_TRAP_IVT_SIZE];
        uint8_t stubs[PVH_MULTIBOOT_TRAP_SIZE];

        pvh_multiboot_trap_write(PVH_MULTIBOOT_TRAP_PORT, ivt, stubs);
        pvh_guest_ram_write(0, ivt, sizeof(ivt));
        pvh_guest_ram_write(PVH_MULTIBOOT_TRAP_BASE, stubs, sizeof(stubs));
    }
    trace_pvh_direct_multiboot(lay->info, lower, upper, len);
}

static void pvh_multiboot_entry(PVHBoot *b, PVHCpuState *s)
{
    pvh_cpu_state_multiboot(b->load.entry, b->lay.info, s);
}

static void pvh_multiboot_cleanup(PVHBoot *b)
{
    PVHMultibootState *st = b->proto_state;

    if (st) {
        g_free(st->mb.buf);
    }
}

static const PVHProtocol pvh_multiboot_protocol = {
    .name = "multiboot",
    .host_kaslr = false,        /* the image is not relocatable */
    .keeps_image = true,
    .parse = pvh_multiboot_parse,
    .prepare = pvh_multiboot_prepare,
    .install = pvh_multiboot_install,
    .entry = pvh_multiboot_entry,
    .cleanup = pvh_multiboot_cleanup,
};

/* A handler of the BIOS trap ran: the kernel called the BIOS */
static void pvh_multiboot_trap_port_write(void *opaque, hwaddr addr,
                                     uint64_t val, unsigned size)
{
    const char *kernel = opaque;

    error_report("kernel '%s' called the BIOS (real-mode int 0x%02x), and "
                 "with direct-boot=on there is none: boot it with "
                 "direct-boot=auto", kernel, (unsigned)(val & 0xff));
    qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_HOST_ERROR,
                                           EXIT_FAILURE);
}

static uint64_t pvh_multiboot_trap_port_read(void *opaque, hwaddr addr,
                                        unsigned size)
{
    return ~0ULL;
}

static const MemoryRegionOps pvh_multiboot_trap_ops = {
    .read = pvh_multiboot_trap_port_read,
    .write = pvh_multiboot_trap_port_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* The port the trap's handlers write to, for the machine's lifetime */
static void pvh_multiboot_trap_register(const char *kernel)
{
    MemoryRegion *trap = g_new0(MemoryRegion, 1);

    memory_region_init_io(trap, NULL, &pvh_multiboot_trap_ops,
                          g_strdup(kernel), "pvh-bios-trap", 1);
    memory_region_add_subregion_overlap(get_system_io(),
                                        PVH_MULTIBOOT_TRAP_PORT, trap, -1);
}

bool pvh_boot_multiboot_load(X86MachineState *x86ms, FILE *f,
                             uint8_t *header, int kernel_size,
                             uint64_t acpi_size, Error **errp)
{
    MachineState *ms = MACHINE(x86ms);
    g_autofree PVHMultibootState *st = g_new0(PVHMultibootState, 1);

    if (multiboot_build(x86ms, f, ms->kernel_filename, ms->initrd_filename,
                        ms->kernel_cmdline ? ms->kernel_cmdline : "",
                        kernel_size, header, &st->mb, errp) <= 0 ||
        !pvh_platform_load(x86ms, &pvh_multiboot_protocol,
                           g_steal_pointer(&st), acpi_size, errp)) {
        return false;
    }
    pvh_multiboot_trap_register(ms->kernel_filename);
    return true;
}
