/*
 * Direct kernel boot: the Linux protocol's parts that boot-unpack.c
 * shares
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_LINUX_H
#define HW_I386_PVH_BOOT_LINUX_H

#include "platform.h"
#include "linux-header.h"

/**
 * pvh_linux_read: read and parse the setup header of the bzImage in @f
 * @f: the open kernel file
 * @li: filled as pvh_linux_parse() does
 * @errp: set only when the file could not be read
 *
 * Returns what pvh_linux_parse() returned, or PVH_LINUX_TRUNCATED with
 * @errp set.
 */
PVHLinuxError pvh_linux_read(const PVHFile *f, PVHLinuxImage *li,
                             Error **errp);

/**
 * pvh_direct_load_unpacked: load the bzImage -kernel names by unpacking
 * its payload in QEMU and arrange for every reset to enter that ELF
 * through PVH (boot-unpack.c)
 * @x86ms: the machine; its e820 table must be complete
 * @acpi_size: as for pvh_direct_load()
 * @errp: set on failure, with the file and the defect named
 */
bool pvh_direct_load_unpacked(X86MachineState *x86ms, uint64_t acpi_size,
                              Error **errp);

#endif
