/*
 * Direct kernel boot: the PVH protocol (QEMU glue), and the parts that
 * another protocol ending in a PVH entry shares (boot-unpack.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_PVH_H
#define HW_I386_PVH_BOOT_PVH_H

#include "platform.h"

/**
 * pvh_boot_pvh_parse_elf: parse the PVH ELF kernel in @f
 * @f: the open file; messages name it as @f->what '@f->name'
 * @img: filled on success
 * @errp: set on failure, with the file and the defect named
 */
bool pvh_boot_pvh_parse_elf(const PVHFile *f, PVHElfImage *img, Error **errp);

/* PVHProtocol.install of PVH: hvm_start_info, module list, memory map */
void pvh_boot_pvh_install(PVHBoot *b);

/* PVHProtocol.entry of PVH: %ebx at hvm_start_info */
void pvh_boot_pvh_entry(PVHBoot *b, PVHCpuState *s);

/**
 * pvh_boot_pvh_load: load the PVH ELF kernel -kernel names and arrange for
 * every reset to enter it directly
 * @x86ms: the machine; its e820 table must be complete
 * @acpi_size: as for pvh_platform_load()
 * @errp: set on failure, with the file and the defect named: malformed,
 *     no PVH note, does not fit in RAM, or a file that cannot be read
 *
 * The path is chosen already (boot-path.c): an ELF image.
 */
bool pvh_boot_pvh_load(X86MachineState *x86ms, uint64_t acpi_size,
                       Error **errp);

#endif
