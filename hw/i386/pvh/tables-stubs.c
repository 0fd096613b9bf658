/*
 * Direct kernel boot: no ACPI or SMBIOS tables (machines other than pc
 * and q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "tables.h"

uint64_t pvh_tables_acpi_area(X86MachineState *x86ms, uint64_t size)
{
    return 0;
}

bool pvh_tables_install_acpi(X86MachineState *x86ms, uint64_t base,
                             uint64_t size, bool first, uint64_t *rsdp,
                             Error **errp)
{
    return true;
}

uint64_t pvh_tables_facs(void)
{
    return 0;
}

uint64_t pvh_tables_smbios_area(X86MachineState *x86ms)
{
    return 0;
}

uint64_t pvh_tables_smbios_size(void)
{
    return 0;
}

bool pvh_tables_install_smbios(uint64_t at, uint64_t room, Error **errp)
{
    return true;
}

void pvh_tables_machine_done(X86MachineState *x86ms)
{
}

void pvh_tables_free(void)
{
}
