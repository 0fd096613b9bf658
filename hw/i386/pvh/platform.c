/*
 * Direct kernel boot: the platform without firmware (QEMU glue)
 *
 * Whatever the boot protocol (platform.h), at every system reset: put
 * the kernel's segments and the initrd back in guest RAM, program the
 * chipset as firmware did, install the ACPI and SMBIOS tables, let the
 * protocol write its boot information, and set the boot CPU to its
 * entry state.  No firmware runs: the first guest instruction is the
 * kernel's entry.
 *
 * Only one copy of the kernel lives in host memory, the one in guest
 * RAM: the files stay open and are read again at each reset.  A reset
 * boots the files as they are then: a kernel or initrd rebuilt or
 * changed since the last boot is loaded whole, with a new layout if it
 * needs one, and one that no longer loads stops the VM with a message
 * and a failure status (see pvh_refresh()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/guest-random.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "compat.h"
#include "system/reset.h"
#include "system/runstate.h"
#include "hw/boards.h"
#include "hw/resettable.h"
#include "qom/object.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "target/i386/cpu.h"
#include "hw/i386/e820_memory_layout.h"
#include "platform.h"
#include "chipset.h"
#include "display.h"
#include "files.h"
#include "guest-ram.h"
#include "interrupts.h"
#include "mptable.h"
#include "s3-resume.h"
#include "tables.h"
#include "trace.h"

/* Tries at loading files that change while they are being loaded */
#define PVH_LOAD_TRIES  3

/* The machine's direct boot, once loaded (one machine per process) */
static PVHBoot *pvh_boot;

PVHLayoutError pvh_platform_layout_init(PVHLayout *lay)
{
    struct e820_entry *table;
    int i, n = e820_get_table(&table);
    g_autofree PVHRange *ram = g_new0(PVHRange, MAX(n, 1));

    for (i = 0; i < n; i++) {
        ram[i].addr = le64_to_cpu(table[i].address);
        ram[i].size = le64_to_cpu(table[i].length);
        ram[i].type = le32_to_cpu(table[i].type);
    }
    return pvh_layout_init(lay, ram, n);
}

static bool pvh_layout(PVHBoot *b, Error **errp)
{
    g_autofree char *why = NULL;
    PVHLayoutError err;

    err = pvh_platform_layout_init(&b->lay);
    if (!err && b->mptable) {
        err = pvh_layout_reserve(&b->lay, PVH_MPTABLE_AREA,
                                 PVH_MPTABLE_AREA_SIZE, PVH_E820_RESERVED);
    }
    if (!err && b->acpi_size + b->smbios_size) {
        /*
         * The tables go at the end of the low area (PVH_LOW_AREA), or as
         * high as they fit below 4 GiB where the kernel is there; a
         * protocol may ask for the latter, where firmware put them.
         */
        b->lay.tables_size = b->acpi_size + b->smbios_size;
        if (b->lay.tables_size <= PVH_LOW_AREA - MiB) {
            b->lay.tables_pref = PVH_LOW_AREA - b->lay.tables_size;
        }
    }
    if (!err && b->proto->prepare) {
        b->proto->prepare(b, &b->lay);
    }
    if (!err && b->x86ms->pvh_kaslr && b->proto->host_kaslr) {
        /* A fresh draw at every layout, so at every reset (see refresh) */
        b->lay.kaslr = true;
        qemu_guest_getrandom_nofail(&b->lay.kaslr_random,
                                    sizeof(b->lay.kaslr_random));
    }
    if (!err) {
        err = pvh_layout_place(&b->lay, &b->img, strlen(b->cmdline),
                               b->initrd.fd >= 0 ? b->initrd.size : 0);
    }
    if (err == PVH_LAYOUT_NO_ROOM_INITRD) {
        why = pvh_layout_describe(err, &b->lay);
        error_setg(errp, "initrd is too large, cannot support: initrd "
                   "'%s': %s", b->initrd.name, why);
        return false;
    } else if (err) {
        why = pvh_layout_describe(err, &b->lay);
        error_setg(errp, "kernel '%s': %s", b->kernel.name, why);
        return false;
    }
    b->fw_ranges_reserved = false;
    b->load = b->img;
    pvh_elf_relocate(&b->load, b->lay.kernel_delta);
    trace_pvh_direct_kernel_base(pvh_elf_base(&b->load), b->load.entry,
                                 b->lay.kernel_delta, b->lay.kernel_slots);
    trace_pvh_direct_layout(b->lay.start_info | b->lay.info, b->lay.memmap,
                            b->lay.nr_memmap, b->lay.cmdline, b->lay.initrd,
                            b->lay.initrd_size);
    return true;
}

static bool pvh_same_image(const PVHElfImage *a, const PVHElfImage *b)
{
    return a->entry == b->entry && a->nr_segments == b->nr_segments &&
           !memcmp(a->segments, b->segments,
                   a->nr_segments * sizeof(a->segments[0]));
}

/*
 * What this reset boots: the files as they are now (see pvh_files_follow()).
 * The kernel's headers are read again every time, cheaply (a few pages),
 * so that a kernel changed in place, even to one of the same size, is
 * never loaded with the old one's layout.  The layout is redone when the
 * segments, the initrd's size or the tables' size moved.
 */
static bool pvh_refresh(PVHBoot *b, Error **errp)
{
    PVHElfImage img;

    if ((!b->proto->keeps_image && !pvh_files_follow(&b->kernel, errp)) ||
        !b->proto->parse(b, &img, errp) ||
        (b->initrd.fd >= 0 && !pvh_files_follow(&b->initrd, errp))) {
        return false;
    }
    if (pvh_same_image(&img, &b->img) &&
        b->lay.initrd_size == (b->initrd.fd >= 0 ? b->initrd.size : 0) &&
        b->lay.tables_size == b->acpi_size + b->smbios_size &&
        b->lay.cmdline_size == strlen(b->cmdline) + 1 &&
        !(b->lay.kaslr && img.reloc)) {
        return true;
    }
    b->img = img;
    trace_pvh_direct_relayout(b->kernel.size, b->img.entry,
                              b->img.nr_segments, b->initrd.size);
    return pvh_layout(b, errp);
}

/*
 * What firmware and the video BIOS did to the devices: the chipset, the
 * PCI interrupt routing, the interrupt controllers and the PIT, and a
 * VGA in 80x25 text mode.  In one memory transaction (committed once
 * more where the VGA's memory is written through the window): each of
 * these writes may remap something, and every commit rebuilds every
 * address space's view.  Returns false when there is no VGA.
 */
static bool pvh_setup_devices(PVHBoot *b)
{
    const char *vga;

    memory_region_transaction_begin();
    pvh_chipset_setup(b->x86ms);
    b->level_irqs = pvh_chipset_route_pci_irqs(b->x86ms);
    pvh_interrupts_setup(b->x86ms, b->level_irqs);
    vga = pvh_display_text_mode(b->x86ms);
    memory_region_transaction_commit();
    trace_pvh_direct_vga(vga);
    return vga;
}

/*
 * What firmware reserves in the memory map beyond QEMU's e820 table:
 * q35's MMCONFIG, where the chipset's setup put it, and the BIOS ROM
 * below 4 GiB.  Once per layout (a new layout starts without them).
 */
static bool pvh_reserve_firmware_ranges(PVHBoot *b, Error **errp)
{
    uint64_t base, size;

    if (b->fw_ranges_reserved) {
        return true;
    }
    b->fw_ranges_reserved = true;
    if (pvh_chipset_mmcfg(b->x86ms, &base, &size)) {
        pvh_layout_reserve(&b->lay, base, size, PVH_E820_RESERVED);
    }
    if (pvh_bios_area_range(&base, &size)) {
        pvh_layout_reserve(&b->lay, base, size, PVH_E820_RESERVED);
    }
    if (pvh_layout_update_memmap(&b->lay) != PVH_LAYOUT_OK) {
        error_setg(errp, "kernel '%s': no room in the memory map for "
                   "MMCONFIG and the BIOS", b->kernel.name);
        return false;
    }
    return true;
}

/*
 * Put the kernel image, its bss, the initrd, the tables and the boot
 * information in RAM.
 */
static bool pvh_restore_memory(PVHBoot *b, Error **errp)
{
    const PVHLayout *lay = &b->lay;
    unsigned i;

    for (i = 0; i < b->load.nr_segments; i++) {
        const PVHSegment *s = &b->load.segments[i];

        if (!pvh_files_to_guest(b->image, s->offset, s->paddr, s->filesz,
                                errp)) {
            return false;
        }
        if (!b->load.scratch) {
            address_space_set(&address_space_memory, s->paddr + s->filesz, 0,
                              s->memsz - s->filesz, MEMTXATTRS_UNSPECIFIED);
        }
    }
    if (lay->initrd_size &&
        !pvh_files_to_guest(&b->initrd, 0, lay->initrd, lay->initrd_size,
                            errp)) {
        return false;
    }
    b->vga_text = pvh_setup_devices(b);
    if (!pvh_reserve_firmware_ranges(b, errp)) {
        return false;
    }
    if ((b->acpi_size &&
         !pvh_tables_install_acpi(b->x86ms, lay->tables, b->acpi_size,
                                  !b->started, &b->lay.rsdp, errp)) ||
        (b->smbios_size &&
         !pvh_tables_install_smbios(lay->tables + b->acpi_size,
                                    b->smbios_size, errp))) {
        return false;
    }
    if (b->mptable) {
        pvh_interrupts_install_mptable(b->x86ms, b->level_irqs);
    }
    pvh_bios_area_reset_vector(b->x86ms);
    pvh_guest_ram_write(lay->cmdline, b->cmdline, lay->cmdline_size);
    b->proto->install(b);
    return true;
}

static SegmentCache pvh_seg_cache(const PVHCpuSeg *seg)
{
    return (SegmentCache){ .selector = seg->selector, .base = seg->base,
                           .limit = seg->limit, .flags = seg->flags };
}

/*
 * Put the boot CPU in the state of cpu-state.c (the ABI's, see there).
 * The CPU was reset before this runs (in the hold phase; this is the
 * exit phase), so everything else holds reset values; APs stay in
 * wait-for-SIPI.  Under KVM this state reaches the vCPU through
 * cpu_synchronize_all_post_reset(), with no accelerator-specific code.
 */
static void pvh_set_boot_cpu(X86CPU *cpu, const PVHCpuState *st)
{
    static const int segs[] = {
        [PVH_SEG_ES] = R_ES, [PVH_SEG_CS] = R_CS, [PVH_SEG_SS] = R_SS,
        [PVH_SEG_DS] = R_DS, [PVH_SEG_FS] = R_FS, [PVH_SEG_GS] = R_GS,
    };
    CPUX86State *env = &cpu->env;
    PVHCpuState s = *st;
    int i;

    cpu_x86_update_cr4(env, s.cr4);
    cpu_x86_update_cr0(env, s.cr0);
    cpu_x86_update_cr3(env, s.cr3);
    cpu_load_efer(env, s.efer);
    for (i = 0; i < ARRAY_SIZE(segs); i++) {
        cpu_x86_load_seg_cache(env, segs[i], s.seg[i].selector,
                               s.seg[i].base, s.seg[i].limit, s.seg[i].flags);
    }
    env->ldt = pvh_seg_cache(&s.seg[PVH_SEG_LDTR]);
    env->tr = pvh_seg_cache(&s.seg[PVH_SEG_TR]);
    env->gdt = (SegmentCache){ .base = s.gdtr.base, .limit = s.gdtr.limit };
    env->idt = (SegmentCache){ .base = s.idtr.base, .limit = s.idtr.limit };
    env->dr[7] = s.dr7;
    env->eflags = s.eflags;
    env->regs[R_EAX] = s.eax;
    env->regs[R_EBX] = s.ebx;
    env->regs[R_ESI] = s.esi;
    env->regs[R_EBP] = 0;
    env->regs[R_EDI] = 0;
    env->eip = s.eip;
    env->mtrr_deftype = s.mtrr_deftype;
}

/*
 * Load what this reset boots.  A file that changes while it is being
 * loaded is loaded again, so that the guest never runs a mix of two
 * versions of it.
 */
static bool pvh_load(PVHBoot *b, Error **errp)
{
    Error *err = NULL;
    int i;

    if (b->smbios_size) {
        b->smbios_size = pvh_tables_smbios_size();
    }
    for (i = 0; i < PVH_LOAD_TRIES; i++) {
        error_free(err);
        err = NULL;
        if (pvh_refresh(b, &err) && pvh_restore_memory(b, &err)) {
            if (!pvh_files_changed(&b->kernel) &&
                !pvh_files_changed(&b->initrd)) {
                return true;
            }
            error_setg(&err, "%s '%s': changed while being loaded, %d times",
                       pvh_files_changed(&b->kernel) ? "kernel" : "initrd",
                       pvh_files_changed(&b->kernel) ? b->kernel.name :
                       b->initrd.name, PVH_LOAD_TRIES);
        }
    }
    error_propagate(errp, err);
    return false;
}

static void pvh_reset_exit(Object *obj, ResetType type)
{
    PVHBoot *b = PVH_BOOT(obj);
    int64_t start = g_get_monotonic_time();
    Error *err = NULL;
    PVHCpuState st;

    if (type == RESET_TYPE_WAKEUP && pvh_s3_resume(b->x86ms)) {
        return;
    }
    trace_pvh_direct_reset_begin();
    if (!pvh_load(b, &err)) {
        if (!b->started) {
            /* Still starting up: a configuration error, as at load. */
            error_report_err(err);
            exit(1);
        }
        /*
         * The files changed into something that cannot boot.  Stop with
         * a failure status, so that scripts do not see a clean poweroff.
         */
        error_reportf_err(err, "PVH reset failed: ");
        qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_HOST_ERROR,
                                               EXIT_FAILURE);
        return;
    }
    b->proto->entry(b, &st);
    pvh_set_boot_cpu(X86_CPU(first_cpu), &st);
    b->started = true;
    trace_pvh_direct_reset_end(st.eip, st.ebx | st.esi,
                               g_get_monotonic_time() - start);
}

static ResettableState *pvh_get_reset_state(Object *obj)
{
    return &PVH_BOOT(obj)->reset_state;
}

static void pvh_platform_init(Object *obj)
{
    PVHBoot *b = PVH_BOOT(obj);

    b->kernel = (PVHFile) { .what = "kernel", .fd = -1 };
    b->image = &b->kernel;
    b->initrd = (PVHFile) { .what = "initrd", .fd = -1 };
}

static void pvh_platform_finalize(Object *obj)
{
    PVHBoot *b = PVH_BOOT(obj);

    if (pvh_boot == b) {
        pvh_boot = NULL;
    }
    pvh_files_close(&b->kernel);
    pvh_files_close(&b->initrd);
    g_free(b->cmdline_set);
    pvh_tables_free();
    if (b->proto && b->proto->cleanup) {
        b->proto->cleanup(b);
    }
    g_free(b->proto_state);
}

static void pvh_platform_class_init(ObjectClass *oc, PVHClassData *data)
{
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    rc->get_state = pvh_get_reset_state;
    rc->phases.exit = pvh_reset_exit;
}

static const TypeInfo pvh_platform_info = {
    .name = TYPE_PVH_BOOT,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(PVHBoot),
    .instance_init = pvh_platform_init,
    .instance_finalize = pvh_platform_finalize,
    .class_init = pvh_platform_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_RESETTABLE_INTERFACE },
        { }
    },
};

static void pvh_platform_register_types(void)
{
    type_register_static(&pvh_platform_info);
}

type_init(pvh_platform_register_types)

void pvh_direct_machine_done(X86MachineState *x86ms)
{
    if (pvh_boot && pvh_boot->x86ms == x86ms && pvh_boot->acpi_size) {
        pvh_tables_machine_done(x86ms);
    }
}

void pvh_direct_set_cmdline(X86MachineState *x86ms, const char *cmdline)
{
    PVHBoot *b = pvh_boot;

    if (b && b->x86ms == x86ms) {
        g_free(b->cmdline_set);
        b->cmdline_set = g_strdup(cmdline);
        b->cmdline = b->cmdline_set;
    }
}

void pvh_direct_cpus_reset(X86MachineState *x86ms)
{
    if (pvh_boot && pvh_boot->x86ms == x86ms && pvh_boot->started) {
        pvh_interrupts_setup_lapic(x86ms);
    }
}

bool pvh_platform_load(X86MachineState *x86ms, const PVHProtocol *proto,
                       void *proto_state, uint64_t acpi_size, Error **errp)
{
    MachineState *ms = MACHINE(x86ms);
    g_autoptr(Object) obj = object_new(TYPE_PVH_BOOT);
    PVHBoot *b = PVH_BOOT(obj);
    unsigned i;

    b->proto = proto;
    b->proto_state = proto_state;
    b->x86ms = x86ms;
    b->cmdline = ms->kernel_cmdline ? ms->kernel_cmdline : "";
    b->acpi_size = pvh_tables_acpi_area(x86ms, acpi_size);
    b->smbios_size = pvh_tables_smbios_area(x86ms);
    /* Without ACPI, qboot describes the CPUs in an MP table */
    b->mptable = !b->acpi_size && pvh_interrupts_mptable_wanted(x86ms);
    if (proto->keeps_image) {
        b->kernel.name = g_strdup(ms->kernel_filename);
    }
    if ((!proto->keeps_image &&
         !pvh_files_open(&b->kernel, "kernel", ms->kernel_filename,
                         errp)) ||
        !proto->parse(b, &b->img, errp) ||
        (ms->initrd_filename && !proto->keeps_image &&
         !pvh_files_open(&b->initrd, "initrd", ms->initrd_filename,
                         errp)) ||
        !pvh_layout(b, errp)) {
        return false;
    }
    pvh_guest_ram_small_pages_low();
    trace_pvh_direct_kernel(proto->name, b->kernel.name, b->img.entry,
                            b->img.nr_segments, b->img.is64);
    for (i = 0; i < b->img.nr_segments; i++) {
        const PVHSegment *s = &b->img.segments[i];

        trace_pvh_direct_segment(i, s->paddr, s->filesz, s->memsz);
    }
    pvh_boot = b;
    qemu_register_resettable(g_steal_pointer(&obj));
    return true;
}
