/*
 * Direct kernel boot: the ACPI and SMBIOS tables as firmware installs
 * them (QEMU glue; tables-stubs.c on machines other than pc and q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_TABLES_H
#define HW_I386_PVH_TABLES_H

#include "hw/i386/x86.h"

/**
 * pvh_tables_acpi_area: the room for the ACPI tables
 * @x86ms: the machine
 * @size: what firmware reserved below 4 GiB for ACPI, which also held
 *     the SMBIOS tables
 *
 * Returns 0 where QEMU builds no ACPI tables: only pc, q35 and microvm,
 * with ACPI on, have them.
 */
uint64_t pvh_tables_acpi_area(X86MachineState *x86ms, uint64_t size);

/**
 * pvh_tables_install_acpi: put the ACPI tables in [@base, @base + @size)
 * @x86ms: the machine
 * @base: the ACPI part of the tables area
 * @size: its size
 * @first: the machine's first reset: the tables that acpi_setup() built
 *     at machine-done may be used, if nothing was plugged in since
 * @rsdp: set to the RSDP's address
 * @errp: set if the table-loader script cannot be run
 *
 * The tables are built at the first reset and again whenever the
 * machine may have changed (a device added or removed since start-up,
 * which includes CPU and memory hotplug) or the area moved; otherwise
 * the cached, linked tables are written again: a reset puts back what
 * the guest may have changed, without the cost of acpi_build().  On
 * microvm, which builds its tables once, they are always those of fw_cfg.
 */
bool pvh_tables_install_acpi(X86MachineState *x86ms, uint64_t base,
                             uint64_t size, bool first, uint64_t *rsdp,
                             Error **errp);

/* Where the installed tables put the FACS, or 0 */
uint64_t pvh_tables_facs(void);

/* The room for the SMBIOS tables; 0 where QEMU builds none */
uint64_t pvh_tables_smbios_area(X86MachineState *x86ms);

/* The size the SMBIOS tables QEMU built take in the tables area */
uint64_t pvh_tables_smbios_size(void);

/**
 * pvh_tables_install_smbios: the SMBIOS structure table at @at, its entry
 * point in the F segment
 * @at: the SMBIOS part of the tables area
 * @room: its size
 * @errp: set if the tables do not fit or the entry point is malformed
 */
bool pvh_tables_install_smbios(uint64_t at, uint64_t room, Error **errp);

/**
 * pvh_tables_machine_done: before acpi_setup() builds the tables for
 * fw_cfg, make the machine what they describe after the first reset
 * @x86ms: the machine
 *
 * The first reset then loads those tables instead of building its own.
 * Firmware never saw them: QEMU builds the tables again when firmware
 * first reads them.
 */
void pvh_tables_machine_done(X86MachineState *x86ms);

/* Free the cached tables */
void pvh_tables_free(void);

#endif
