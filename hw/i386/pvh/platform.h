/*
 * Direct kernel boot: the platform without firmware
 *
 * What firmware did before the kernel ran, done by QEMU at every reset
 * for whichever boot protocol loaded the kernel: put the kernel and
 * initrd files (files.c) in guest RAM again (guest-ram.c), build the
 * memory map, program the chipset (chipset.c), set up the display
 * (display.c), install the ACPI and SMBIOS tables (tables.c), resume
 * from S3 (s3-resume.c), and set the boot CPU.  A boot protocol
 * (boot-pvh.c, boot-linux.c, boot-multiboot.c, boot-unpack.c) is a
 * PVHProtocol: it parses the kernel file into segments, writes its own
 * boot information and names its entry state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_PLATFORM_H
#define HW_I386_PVH_PLATFORM_H

#include "qom/object.h"
#include "hw/resettable.h"
#include "hw/i386/x86.h"
#include "table-loader.h"
#include "cpu-state.h"
#include "pvh-elf.h"
#include "layout.h"
#include "smbios-anchor.h"
#include "files.h"
#include "guest-ram.h"

/*
 * The RSDP's copy in the BIOS area (0xe0000-0xfffff, 16-byte aligned),
 * after the SMBIOS entry point in the F segment
 */
#define PVH_RSDP_LEGACY_ADDR 0xf0040
#define PVH_RSDP_LEGACY_SIZE 36

/* What the direct path writes in the BIOS area: those two (bios-area.c) */
#define PVH_BIOS_OURS_ADDR  PVH_SMBIOS_ANCHOR_ADDR
#define PVH_BIOS_OURS_SIZE  (PVH_RSDP_LEGACY_ADDR + PVH_RSDP_LEGACY_SIZE - \
                             PVH_SMBIOS_ANCHOR_ADDR)

typedef struct PVHBoot PVHBoot;

/**
 * PVHProtocol: one boot protocol on top of the platform
 * @name: for messages ("PVH", "Linux")
 * @host_kaslr: the pvh-kaslr property moves relocatable images of this
 *     protocol (false where the kernel does its own KASLR)
 * @keeps_image: the protocol reads the kernel and the files it names
 *     once, at load, and writes them from memory at every reset (in
 *     @install: its one segment has filesz 0), as multiboot's firmware
 *     path did through fw_cfg.  The platform then neither opens nor
 *     follows the kernel file, and leaves -initrd (the module list) to
 *     the protocol.
 * @parse: read the kernel file as it is now into @img (segments, entry,
 *     relocation range), from pvh_files_pread(), never from a
 *     mapping; may also check the command line.  Runs at load and at
 *     every reset.  The segments' offsets are in b->image, the kernel
 *     file unless @parse points it at a file of its own.
 * @prepare: set the protocol's inputs of a fresh layout (its boot
 *     information's size and place, the initrd's limit)
 * @install: write the boot information into guest RAM, after the
 *     kernel, the initrd and the tables; b->lay is final (rsdp too)
 * @entry: the boot CPU state
 * @cleanup: free the protocol's state (b->proto_state)
 */
typedef struct PVHProtocol {
    const char *name;
    bool host_kaslr;
    bool keeps_image;
    bool (*parse)(PVHBoot *b, PVHElfImage *img, Error **errp);
    void (*prepare)(PVHBoot *b, PVHLayout *lay);
    void (*install)(PVHBoot *b);
    void (*entry)(PVHBoot *b, PVHCpuState *s);
    void (*cleanup)(PVHBoot *b);
} PVHProtocol;

/*
 * A Resettable object, so that its work happens in the exit phase of a
 * system reset: after every hold phase, where the CPUs reset and QEMU
 * restores ROM images (the F segment among them).
 */
#define TYPE_PVH_BOOT "pvh-boot"
OBJECT_DECLARE_SIMPLE_TYPE(PVHBoot, PVH_BOOT)

struct PVHBoot {
    Object parent_obj;
    ResettableState reset_state;
    X86MachineState *x86ms;
    const PVHProtocol *proto;
    void *proto_state;
    PVHFile kernel;
    const PVHFile *image;       /* what the segments' offsets are in: */
                                /* &kernel, or what @proto unpacked */
    PVHFile initrd;             /* fd -1 when there is none */
    PVHElfImage img;            /* as the file has it */
    PVHElfImage load;           /* as this boot loads it (relocated) */
    PVHLayout lay;
    const char *cmdline;        /* -append, or cmdline_set */
    char *cmdline_set;          /* pvh_direct_set_cmdline()'s */
    uint64_t acpi_size;         /* 0: no ACPI tables */
    uint64_t smbios_size;       /* at the end of the tables area */
    bool started;               /* a reset has completed once */
    bool fw_ranges_reserved;    /* MMCONFIG, BIOS in the memmap */
    bool vga_text;              /* a VGA was put in 80x25 text mode */
    bool mptable;               /* no ACPI tables: an MP table instead */
    uint16_t level_irqs;        /* the ISA IRQs of PCI interrupts */
};

/**
 * pvh_platform_load: load a kernel with @proto and arrange for every
 * reset to enter it directly
 * @x86ms: the machine; its e820 table must be complete
 * @proto: the boot protocol
 * @proto_state: its state, owned from now on (freed by @proto->cleanup)
 * @acpi_size: what firmware reserved below 4 GiB for ACPI and SMBIOS
 * @errp: set on failure, with the file and the defect named
 */
bool pvh_platform_load(X86MachineState *x86ms, const PVHProtocol *proto,
                       void *proto_state, uint64_t acpi_size, Error **errp);

/**
 * pvh_direct_require_bios: this boot path runs firmware (bios-area.c)
 * @errp: set, as a missing BIOS always was, if the BIOS file is missing
 * or cannot be read
 *
 * Loads the BIOS file that pvh_direct_defer_bios() put off, and option
 * ROMs as usual.  Returns false with @errp set if
 * pvh_direct_note_missing_bios() was called or the file cannot be loaded.
 */
bool pvh_direct_require_bios(Error **errp);

/**
 * pvh_bios_area_range: where the BIOS ROM is mapped below 4 GiB
 * @base: set to its address
 * @size: set to its size
 *
 * Firmware reserves it in the memory map.  Returns false where the
 * machine maps no BIOS.
 */
bool pvh_bios_area_range(uint64_t *base, uint64_t *size);

/**
 * pvh_bios_area_reset_vector: where the guest can write the BIOS area
 * (microvm), put a reset vector there that resets the machine
 * @x86ms: the machine
 *
 * Linux on a hardware-reduced ACPI machine without EFI (microvm)
 * reboots by jumping to the reset vector in real mode, where firmware
 * would POST and boot it again.  On the direct path nothing would: the
 * vector raises a triple fault instead (an IDT of limit 0, int3), and
 * the system reset it causes boots the kernel directly.  Call at every
 * reset.
 */
void pvh_bios_area_reset_vector(X86MachineState *x86ms);

/**
 * pvh_platform_layout_init: pvh_layout_init() from the machine's e820
 * table, which must be complete
 */
PVHLayoutError pvh_platform_layout_init(PVHLayout *lay);

#endif
