/*
 * Direct kernel boot: a bzImage's payload unpacked by QEMU and entered
 * through PVH (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_UNPACK_H
#define HW_I386_PVH_BOOT_UNPACK_H

#include "platform.h"

/**
 * pvh_boot_unpack_load: load the bzImage -kernel names by unpacking
 * its payload in QEMU and arrange for every reset to enter that ELF
 * through PVH
 * @x86ms: the machine; its e820 table must be complete
 * @acpi_size: as for pvh_platform_load()
 * @errp: set on failure, with the file and the defect named
 */
bool pvh_boot_unpack_load(X86MachineState *x86ms, uint64_t acpi_size,
                          Error **errp);

#endif
