/*
 * Direct kernel boot: the interrupt controllers and the PIT as firmware
 * leaves them (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_INTERRUPTS_H
#define HW_I386_PVH_INTERRUPTS_H

#include "hw/i386/x86.h"

/*
 * What SeaBIOS leaves, read back from its machine: the 8259s' vector
 * bases, and their masks (open: the IRQs a BIOS serves, PIT, keyboard,
 * cascade, floppy, RTC, mouse, FPU and IDE).
 */
#define PVH_PIC_MASTER_BASE  0x08
#define PVH_PIC_SLAVE_BASE   0x70
#define PVH_PIC_MASTER_MASK  0xb8
#define PVH_PIC_SLAVE_MASK   0x8e
/*
 * What qboot, microvm's firmware, leaves: every IRQ masked but the
 * cascade, and the PIT in its reset state.  Linux depends on it there:
 * on a hardware-reduced ACPI machine it never programs the 8259s, and
 * the PIT's IRQ 0 at vector 0x08 would be a double fault.
 */
#define PVH_PIC_MASTER_MASK_ALL  0xfb
#define PVH_PIC_SLAVE_MASK_ALL   0xff

/**
 * pvh_interrupts_setup: the 8259s and the PIT as firmware leaves them
 * @x86ms: the machine
 * @level_irqs: the ISA IRQs that PCI interrupts are routed to (bit N for
 * IRQ N), level-triggered in the edge/level registers
 *
 * The two 8259s initialised (vector bases 0x08 and 0x70, cascade on IRQ
 * 2, firmware's masks) and, on pc and q35, the PIT's channel 0 in mode 2
 * (rate generator, 18.2 Hz).  Call at every reset, after the devices'
 * own.
 */
void pvh_interrupts_setup(X86MachineState *x86ms, uint16_t level_irqs);

/*
 * Does firmware leave an MP table when there are no ACPI tables?  qboot
 * (microvm) does; with SeaBIOS (pc, q35) Linux finds one CPU.
 */
bool pvh_interrupts_mptable_wanted(X86MachineState *x86ms);

/**
 * pvh_interrupts_install_mptable: the MP table firmware leaves for an OS
 * without ACPI
 * @x86ms: the machine
 * @level_irqs: the ISA IRQs that PCI interrupts are routed to
 *
 * Writes the floating pointer and the configuration table (mptable.h)
 * into PVH_MPTABLE_AREA, which the memory map must reserve: every CPU,
 * the I/O APIC, the ISA IRQs.  Writes nothing, as SeaBIOS, on a machine
 * without an I/O APIC or with a CPU whose APIC ID an MP table cannot
 * hold.  Call at every reset of a machine without ACPI tables.
 */
void pvh_interrupts_install_mptable(X86MachineState *x86ms,
                                    uint16_t level_irqs);

/**
 * pvh_interrupts_setup_lapic: the boot CPU's local APIC in virtual wire
 * mode, as firmware leaves it
 * @x86ms: the machine
 *
 * Enabled, LINT0 ExtINT (the 8259's interrupts), LINT1 NMI.  Call after
 * the machine's reset has reset the local APICs, which it does after the
 * devices' reset.
 */
void pvh_interrupts_setup_lapic(X86MachineState *x86ms);

#endif
