/*
 * Direct kernel boot: the Linux 32-bit boot protocol (QEMU glue)
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
 * pvh_boot_linux_read_named: pvh_linux_read() on the file @name, opened and
 * closed here
 * @name: the kernel file
 * @li: filled as pvh_linux_parse() does
 * @e: set to the parse's verdict
 * @errp: set if the file cannot be read
 *
 * Returns false with @errp set if the file cannot be read.
 */
bool pvh_boot_linux_read_named(const char *name, PVHLinuxImage *li,
                               PVHLinuxError *e, Error **errp);

/**
 * pvh_boot_linux_refuse: the message for a setup header that @e refuses
 * @name: the kernel file
 * @e: the verdict
 * @li: the header, as far as it was parsed
 * @hint: appended to the message ("" for none)
 * @errp: set
 *
 * A defect that upstream's loader reports too keeps its words in front,
 * for tools that grep for them.
 */
void pvh_boot_linux_refuse(const char *name, PVHLinuxError e,
                           const PVHLinuxImage *li, const char *hint,
                           Error **errp);

/**
 * pvh_boot_linux_load: load the bzImage -kernel names and arrange for
 * every reset to enter its 32-bit entry directly
 * @x86ms: the machine; its e820 table must be complete
 * @acpi_size: as for pvh_platform_load()
 * @errp: set on failure, with the file and the defect named
 *
 * The path is chosen already (boot-path.c): a header the direct path
 * boots.  -dtb gives the SETUP_DTB entry.
 */
bool pvh_boot_linux_load(X86MachineState *x86ms, uint64_t acpi_size,
                         Error **errp);

#endif
