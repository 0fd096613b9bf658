/*
 * Direct kernel boot: the interrupt controllers and the PIT as firmware
 * leaves them (QEMU glue)
 *
 * A BIOS initialises the two 8259s before it runs anything, programs
 * the PIT's channel 0 as the system timer and puts the boot CPU's local
 * APIC in virtual wire mode, where the 8259's interrupts reach the CPU.
 * A kernel written for a machine that a BIOS prepared may rely on it: a
 * multiboot kernel that takes IRQ 11 at vector 0x73, in real mode
 * through the IVT or in protected mode through its IDT, without
 * programming the 8259s itself.  Linux programs all of it again.  The
 * values are SeaBIOS's, as read back from a machine it booted; the
 * edge/level registers follow the PCI interrupt routing that chipset.c
 * programs.
 *
 * The state goes into each device's QEMU model, and from there into an
 * in-kernel one through the device's own post_load hook, as after an
 * incoming migration: no code for one accelerator.  KVM's in-kernel PIT
 * has no such hook, and keeps its reset state: channel 0 in mode 3
 * instead of 2, at the same 18.2 Hz on IRQ 0.
 *
 * microvm without ACPI tables (acpi=off) gets the MP table that qboot
 * writes for it (mptable.c), so that the OS still finds every CPU and the
 * I/O APIC; pc and q35 get none, as from SeaBIOS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "hw/i386/apic_internal.h"
#include "hw/isa/i8259_internal.h"
#include "hw/timer/i8254_internal.h"
#include "hw/intc/ioapic.h"
#include "hw/i386/pc.h"
#include "hw/core/cpu.h"
#include "target/i386/cpu.h"
#include "guest-ram.h"
#include "interrupts.h"
#include "mptable.h"
#include "trace.h"

#define PVH_LVT_EXTINT  (APIC_DM_EXTINT << 8 | APIC_LVT_LEVEL_TRIGGER)
#define PVH_LVT_NMI     (APIC_DM_NMI << 8 | APIC_LVT_LEVEL_TRIGGER)
#define PVH_APIC_SPIV   (APIC_SPURIO_ENABLED | 0xff)

/* The 8259s and the PIT, wherever the machine put them */
typedef struct PVHLegacyChips {
    PICCommonState *master, *slave;
    PITCommonState *pit;
    bool ioapic;
} PVHLegacyChips;

static int pvh_interrupts_find(Object *obj, void *opaque)
{
    PVHLegacyChips *c = opaque;
    PICCommonState *pic = (PICCommonState *)
        object_dynamic_cast(obj, TYPE_PIC_COMMON);

    if (pic) {
        *(pic->master ? &c->master : &c->slave) = pic;
    } else if (object_dynamic_cast(obj, TYPE_PIT_COMMON)) {
        c->pit = PIT_COMMON(obj);
    } else if (object_dynamic_cast(obj, TYPE_IOAPIC) ||
               object_dynamic_cast(obj, TYPE_KVM_IOAPIC)) {
        c->ioapic = true;
    }
    return 0;
}

/* Looked for once: none of them can be plugged or unplugged */
static const PVHLegacyChips *pvh_interrupts_chips(X86MachineState *x86ms)
{
    static PVHLegacyChips c;
    static bool found;

    if (!found) {
        object_child_foreach_recursive(OBJECT(x86ms), pvh_interrupts_find,
                                       &c);
        found = true;
    }
    return &c;
}

/* The firmware whose state the direct path leaves: SeaBIOS on pc and q35 */
static bool pvh_interrupts_seabios(X86MachineState *x86ms)
{
    return object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);
}

/* ICW1-ICW4 as a BIOS writes them (8086 mode, normal EOI), then OCW1 */
static void pvh_interrupts_pic(PICCommonState *s, uint8_t base, uint8_t imr,
                               uint8_t elcr)
{
    PICCommonClass *k = PIC_COMMON_GET_CLASS(s);

    s->irq_base = base;
    s->imr = imr;
    s->elcr = elcr & s->elcr_mask;
    s->init_state = 0;
    s->init4 = 1;
    s->single_mode = 0;
    if (k->post_load) {
        k->post_load(s);
    }
}

/* Channel 0: mode 2, low then high byte, a count of 65536 (18.2 Hz) */
static void pvh_interrupts_pit(PITCommonState *s)
{
    PITCommonClass *k = PIT_COMMON_GET_CLASS(s);
    PITChannelState *c = &s->channels[0];
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!k->post_load) {
        return;     /* in-kernel: its reset state, see the top */
    }
    c->mode = 2;
    c->rw_mode = c->read_state = c->write_state = 3;
    c->count = 0x10000;
    c->count_load_time = now;
    c->next_transition_time = pit_get_next_transition_time(c, now);
    k->post_load(s);
}

void pvh_interrupts_setup_lapic(X86MachineState *x86ms)
{
    X86CPU *cpu = X86_CPU(first_cpu);
    APICCommonState *s;
    APICCommonClass *k;

    if (!cpu->apic_state) {
        return;
    }
    s = APIC_COMMON(cpu->apic_state);
    k = APIC_COMMON_GET_CLASS(s);
    s->spurious_vec = PVH_APIC_SPIV;
    s->lvt[APIC_LVT_LINT0] = PVH_LVT_EXTINT;
    s->lvt[APIC_LVT_LINT1] = PVH_LVT_NMI;
    if (k->post_load) {
        k->post_load(s);
    }
}

void pvh_interrupts_setup(X86MachineState *x86ms, uint16_t level_irqs)
{
    const PVHLegacyChips *c = pvh_interrupts_chips(x86ms);
    /* SeaBIOS's state on pc and q35, qboot's elsewhere (microvm) */
    bool seabios = pvh_interrupts_seabios(x86ms);

    if (c->master) {
        pvh_interrupts_pic(c->master, PVH_PIC_MASTER_BASE,
                           seabios ? PVH_PIC_MASTER_MASK :
                           PVH_PIC_MASTER_MASK_ALL, level_irqs);
    }
    if (c->slave) {
        pvh_interrupts_pic(c->slave, PVH_PIC_SLAVE_BASE,
                           seabios ? PVH_PIC_SLAVE_MASK :
                           PVH_PIC_SLAVE_MASK_ALL, level_irqs >> 8);
    }
    if (c->pit && seabios) {
        pvh_interrupts_pit(c->pit);
    }
    trace_pvh_interrupts_setup(!!c->master, !!c->slave, !!c->pit,
                               level_irqs);
}

bool pvh_interrupts_mptable_wanted(X86MachineState *x86ms)
{
    /* qboot writes one; SeaBIOS on pc and q35 leaves Linux one CPU */
    return !pvh_interrupts_seabios(x86ms);
}

void pvh_interrupts_install_mptable(X86MachineState *x86ms,
                                    uint16_t level_irqs)
{
    X86CPU *boot = X86_CPU(first_cpu);
    g_autofree uint32_t *ids = g_new(uint32_t, MACHINE(x86ms)->smp.max_cpus);
    g_autofree uint8_t *table = g_malloc(PVH_MPTABLE_ROOM);
    uint8_t floating[PVH_MP_FLOATING_SIZE];
    uint32_t ebx, ecx;
    PVHMpConfig c = {
        .apic_ids = ids, .ioapic_id = 0,
        .ioapic_addr = IO_APIC_DEFAULT_ADDRESS,
        .irq0_override = true,  /* the I/O APIC model takes IRQ 0 on pin 2 */
        .level_irqs = level_irqs,
    };
    CPUState *cs;
    size_t len;

    if (!pvh_interrupts_chips(x86ms)->ioapic) {
        return;     /* nothing a table could add to virtual wire mode */
    }
    ids[c.nr_cpus++] = boot->apic_id;
    CPU_FOREACH(cs) {
        if (cs != first_cpu && c.nr_cpus < MACHINE(x86ms)->smp.max_cpus) {
            ids[c.nr_cpus++] = X86_CPU(cs)->apic_id;
        }
    }
    cpu_x86_cpuid(&boot->env, 1, 0, &c.cpu_signature, &ebx, &ecx,
                  &c.cpu_features);
    len = pvh_mptable_build(&c, table, PVH_MPTABLE_ROOM, PVH_MPTABLE_AREA,
                            floating);
    trace_pvh_interrupts_mptable(c.nr_cpus, len);
    if (!len) {
        return;     /* more CPUs than an MP table holds: none, as SeaBIOS */
    }
    pvh_guest_ram_write(PVH_MPTABLE_AREA, table, len);
    pvh_guest_ram_write(PVH_MPTABLE_FLOATING, floating, sizeof(floating));
}
