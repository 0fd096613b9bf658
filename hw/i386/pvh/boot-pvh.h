/*
 * Direct kernel boot: the PVH protocol's parts that another protocol
 * ending in a PVH entry shares (boot-unpack.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_PVH_H
#define HW_I386_PVH_BOOT_PVH_H

#include "platform.h"

/**
 * pvh_boot_parse_elf: parse the PVH ELF kernel in @f
 * @f: the open file; messages name it as @f->what '@f->name'
 * @img: filled on success
 * @errp: set on failure, with the file and the defect named
 */
bool pvh_boot_parse_elf(const PVHFile *f, PVHElfImage *img, Error **errp);

/* PVHProtocol.install of PVH: hvm_start_info, module list, memory map */
void pvh_boot_install(PVHBoot *b);

/* PVHProtocol.entry of PVH: %ebx at hvm_start_info */
void pvh_boot_entry(PVHBoot *b, PVHCpuState *s);

#endif
