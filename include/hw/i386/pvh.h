/*
 * Direct kernel boot: QEMU loads a PVH ELF kernel, a Linux bzImage or a
 * multiboot kernel and enters it with no firmware
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_H
#define HW_I386_PVH_H

#include "hw/i386/x86.h"

/**
 * pvh_direct_enabled: does this machine boot -kernel directly?
 * @x86ms: the machine
 *
 * The "direct-boot" machine property, or the machine type's default
 * when it is "auto" (firmware for a confidential guest).  When false,
 * every kernel boots through firmware (pvh.bin, linuxboot_dma.bin,
 * multiboot_dma.bin), as it did before.
 */
bool pvh_direct_enabled(X86MachineState *x86ms);

/**
 * pvh_direct_machine_done: get the machine ready for acpi_setup()
 * @x86ms: the machine
 *
 * Call at machine-done, before acpi_setup().  With a kernel booted
 * directly and ACPI tables to give it, resets q35's MCH, programs the
 * chipset and numbers the hot-pluggable PCI buses as the first reset
 * will, so that the tables acpi_setup() builds for fw_cfg describe the
 * machine as it boots and the first reset loads them instead of building
 * its own.  Does nothing otherwise.
 */
void pvh_direct_machine_done(X86MachineState *x86ms);

/**
 * pvh_direct_set_cmdline: the kernel command line of the next resets
 * @x86ms: the machine
 * @cmdline: the whole command line, copied
 *
 * For a machine that adds to -append what the kernel needs to find its
 * devices (microvm's virtio-mmio transports): call before the devices'
 * reset.  With a kernel booted directly, the next reset and those after
 * it pass @cmdline; does nothing otherwise.
 */
void pvh_direct_set_cmdline(X86MachineState *x86ms, const char *cmdline);

/**
 * pvh_direct_cpus_reset: finish a machine reset that reset the CPUs
 * @x86ms: the machine
 *
 * Call from the machine's reset after it reset the CPUs' local APICs
 * (after the devices' reset, in which the direct path loads the kernel).
 * With a kernel booted directly, puts the boot CPU's local APIC in
 * virtual wire mode as firmware leaves it.  Does nothing otherwise.
 */
void pvh_direct_cpus_reset(X86MachineState *x86ms);

/**
 * pvh_check_boot_file: refuse what cannot be a kernel or initrd
 * @what: "kernel" or "initrd", for the message
 * @name: the file's name
 * @errp: set on failure, naming the file and what it is
 *
 * Returns false for a missing file, an empty one, or anything but a
 * regular file (a FIFO with no writer would hang the reader), before
 * any boot path opens it.
 */
bool pvh_check_boot_file(const char *what, const char *name, Error **errp);

/**
 * pvh_direct_note_missing_bios: the BIOS file was not found
 * @bios_name: its name, for the message should firmware be needed
 *
 * The machine stands in a blank BIOS area, enough for a kernel that is
 * booted directly.
 */
void pvh_direct_note_missing_bios(const char *bios_name);

/**
 * pvh_direct_defer_bios: a kernel is booted directly: read the BIOS
 * only when it is needed
 * @bios: the BIOS area, RAM of the file's size, read-only to the guest
 * @filename: the BIOS file
 *
 * The area stays blank (but for what the direct path writes there)
 * until pvh_direct_require_bios() or a migration or snapshot, whose
 * destination may boot through firmware, fills it from the file.
 */
void pvh_direct_defer_bios(MemoryRegion *bios, const char *filename);

/**
 * pvh_boot_path: how -kernel boots, for the machine's read-only
 * properties boot-path ("direct" or "firmware"), boot-protocol ("pvh",
 * "linux", "multiboot", "pvh-unpack"; "none" without -kernel) and
 * boot-path-reason (why that path)
 *
 * Each returns a string the caller frees.  They hold for every reset.
 */
char *pvh_boot_path(void);
char *pvh_boot_protocol(void);
char *pvh_boot_path_reason(void);

/**
 * pvh_direct_boot: boot -kernel directly if this machine and image say so
 * @x86ms: the machine; its e820 table must be complete
 * @f: the kernel file, open; closed if the kernel is booted directly
 * @header: the file's first bytes
 * @header_size: how many of them there are
 * @kernel_size: the file's size
 * @pvh_elf: the machine type boots PVH ELF kernels (x86_load_linux()'s
 *     pvh_enabled)
 * @acpi_size: bytes firmware reserves below 4 GiB for the ACPI and SMBIOS
 *     tables, rebuilt at every reset (pc and q35; ignored elsewhere)
 * @errp: set on failure, with the file and the defect named
 *
 * Chooses the path for a bzImage, a PVH ELF or a multiboot kernel
 * (boot-path-choice.c), records it for the boot-path properties and
 * loads the kernel: every reset then enters it directly.  Returns true
 * if it did.  Returns false with @errp unset when the kernel boots
 * through firmware: the BIOS file is loaded then, and the caller goes on
 * with upstream's loaders.  Returns false with @errp set for a kernel
 * that cannot boot, or a boot file that cannot be read.
 */
bool pvh_direct_boot(X86MachineState *x86ms, FILE *f, uint8_t *header,
                     size_t header_size, int kernel_size, bool pvh_elf,
                     uint64_t acpi_size, Error **errp);

/**
 * pvh_firmware_check_elf: check a PVH kernel that firmware will enter
 * @name: the kernel file, an ELF image
 * @entry: set to its XEN_ELFNOTE_PHYS32_ENTRY
 * @errp: set on failure, with the file and the defect named
 *
 * The firmware path (pvh-direct=off, or a confidential guest) reads the
 * ELF headers and notes with the direct path's bounds-checked parser,
 * and checks that the segments lie in RAM where they are linked: it
 * never moves a kernel.  Returns false with @errp set for a file the
 * direct path would refuse as malformed, or whose segments are not all
 * in RAM.
 */
bool pvh_firmware_check_elf(const char *name, uint32_t *entry, Error **errp);

/**
 * pvh_firmware_check_linux: check a bzImage that firmware will load
 * @name: the kernel file, with a Linux setup header ("HdrS")
 * @cmdline: the kernel's command line
 * @errp: set on failure, with the file and the defect named
 *
 * The firmware path reads the setup header with the direct path's
 * parser: a header cut short, setup code or payload past the end of the
 * file, no payload, a bad kernel_alignment, a kernel that cannot end
 * below 4 GiB, a command line over cmdline_size and an init_size that
 * has no room in RAM are refused, as they are there.  Images that need
 * firmware (see pvh_linux_needs_firmware()) pass.  Returns false with
 * @errp set for a refused image.
 */
bool pvh_firmware_check_linux(const char *name, const char *cmdline,
                              Error **errp);

/**
 * pvh_probe_multiboot: should this kernel be probed for a multiboot header?
 * @x86ms: the machine
 * @header: the kernel file's first bytes
 * @size: how many there are
 *
 * False for an ELF kernel when the prefer-pvh machine property is on:
 * it then boots through PVH even if it carries a multiboot header too.
 */
bool pvh_probe_multiboot(X86MachineState *x86ms, const uint8_t *header,
                         size_t size);

#endif
