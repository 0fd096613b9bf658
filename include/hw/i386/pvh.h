/*
 * Direct kernel boot: QEMU loads a PVH ELF kernel or a Linux bzImage and
 * enters it with no firmware
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_H
#define HW_I386_PVH_H

#include "hw/i386/x86.h"

/**
 * pvh_direct_enabled: does this machine boot PVH kernels directly?
 * @x86ms: the machine
 *
 * The "pvh-direct" machine property, or the machine type's default
 * when it is "auto".  When false, the pvh.bin option ROM path is used.
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
 * pvh_direct_require_bios: this boot path runs firmware
 * @protocol: what the firmware boots: "pvh", "linux" or "multiboot"
 * @errp: set, as a missing BIOS always was, if the BIOS file is missing
 * or cannot be read
 *
 * Records the firmware path and why it was taken (pvh_boot_path()), and
 * loads the BIOS file that pvh_direct_defer_bios() put off.  Returns
 * false with @errp set if pvh_direct_note_missing_bios() was called or
 * the file cannot be loaded.
 */
bool pvh_direct_require_bios(const char *protocol, Error **errp);

/**
 * pvh_boot_path_direct: record that -kernel boots directly
 * @x86ms: the machine
 * @protocol: "pvh", "linux", "multiboot" or "pvh-unpack"
 */
void pvh_boot_path_direct(X86MachineState *x86ms, const char *protocol);

/**
 * pvh_boot_path_firmware: record that -kernel boots through firmware
 * @x86ms: the machine
 * @protocol: what the firmware boots: "pvh", "linux" or "multiboot"
 *
 * The reason is the one pvh_boot_path_decline() gave, or else the
 * machine's: direct-boot=off, a confidential guest, or a machine type
 * that boots through firmware on direct-boot=auto.
 */
void pvh_boot_path_firmware(X86MachineState *x86ms, const char *protocol);

/**
 * pvh_boot_path_decline: the direct path passes this image on to firmware
 * @why: the reason, for the boot-path-reason property
 */
void pvh_boot_path_decline(const char *why);

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
 * pvh_direct_load: load a PVH kernel and arrange for every reset to
 * enter it directly
 * @x86ms: the machine; its e820 table must be complete
 * @header: the first bytes of the kernel file
 * @header_size: how many of them there are
 * @acpi_size: bytes firmware reserves below 4 GiB for the ACPI and SMBIOS
 *     tables, rebuilt at every reset (pc and q35; ignored elsewhere)
 * @errp: set on failure, with the file and the defect named
 *
 * Returns true if the kernel was loaded.  Returns false with @errp unset
 * when the file is not an ELF image (the caller may try another format),
 * and false with @errp set when it is an ELF image that cannot be booted
 * (malformed, no PVH note, does not fit in RAM) or a file cannot be read.
 */
bool pvh_direct_load(X86MachineState *x86ms, const uint8_t *header,
                     size_t header_size, uint64_t acpi_size, Error **errp);

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
 * pvh_direct_load_linux: load a bzImage and arrange for every reset to
 * enter its 32-bit entry directly (the Linux 32-bit boot protocol)
 * @x86ms: the machine; its e820 table must be complete
 * @acpi_size: as for pvh_direct_load()
 * @errp: set on failure, with the file and the defect named
 *
 * Returns true if the kernel was loaded.  Returns false with @errp unset
 * when the image's entry needs BIOS services (see linux-header.c) and
 * direct boot is "auto": the caller boots it through firmware.  Returns
 * false with @errp set for a malformed image, one that does not fit,
 * or, with direct boot "on", one that needs firmware.
 */
bool pvh_direct_load_linux(X86MachineState *x86ms, uint64_t acpi_size,
                           Error **errp);

/**
 * pvh_direct_load_multiboot: load a multiboot kernel and its modules and
 * arrange for every reset to enter it directly
 * @x86ms: the machine; its e820 table must be complete
 * @f: the kernel file, closed unless 0 is returned
 * @header: its first bytes, 8192 of them or the whole file
 * @kernel_size: the file's size
 * @acpi_size: as for pvh_direct_load()
 * @errp: set on failure, with the file and the defect named
 *
 * Returns 1 if the kernel was loaded, 0 if the file has no multiboot
 * header (the caller tries another format) and -1 with @errp set for a
 * multiboot kernel that cannot be booted, or a multiboot header with a
 * wrong checksum in a file that is not ELF either.
 */
int pvh_direct_load_multiboot(X86MachineState *x86ms, FILE *f,
                              uint8_t *header, int kernel_size,
                              uint64_t acpi_size, Error **errp);

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
