/*
 * Direct kernel boot: no chipset to program (machines other than pc and
 * q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "chipset.h"

void pvh_chipset_setup(X86MachineState *x86ms)
{
}

uint16_t pvh_chipset_route_pci_irqs(X86MachineState *x86ms)
{
    return 0;
}

bool pvh_chipset_mmcfg(X86MachineState *x86ms, uint64_t *base,
                       uint64_t *size)
{
    return false;
}

void pvh_chipset_prepare_tables(X86MachineState *x86ms)
{
}
