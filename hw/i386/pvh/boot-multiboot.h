/*
 * Direct kernel boot: multiboot kernels (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_MULTIBOOT_H
#define HW_I386_PVH_BOOT_MULTIBOOT_H

#include "platform.h"

/**
 * pvh_boot_multiboot_load: load a multiboot kernel and its modules and
 * arrange for every reset to enter it directly
 * @x86ms: the machine; its e820 table must be complete
 * @f: the kernel file, closed on success
 * @header: its first bytes, 8192 of them or the whole file
 * @kernel_size: the file's size
 * @acpi_size: as for pvh_platform_load()
 * @errp: set on failure, with the file and the defect named
 *
 * The path is chosen already (boot-path.c): the file has a valid
 * multiboot header and direct-boot is on.
 */
bool pvh_boot_multiboot_load(X86MachineState *x86ms, FILE *f,
                             uint8_t *header, int kernel_size,
                             uint64_t acpi_size, Error **errp);

#endif
