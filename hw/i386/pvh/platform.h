/*
 * Direct kernel boot: the platform without firmware
 *
 * What firmware did before the kernel ran, done by QEMU at every reset
 * for whichever boot protocol loaded the kernel: keep the kernel and
 * initrd files open and put them in guest RAM again, build the memory
 * map, program the chipset, install the ACPI and SMBIOS tables, resume
 * from S3, and set the boot CPU.  A boot protocol (boot-pvh.c,
 * boot-linux.c) is a PVHProtocol: it parses the kernel file into
 * segments, writes its own boot information and names its entry state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_PLATFORM_H
#define HW_I386_PVH_PLATFORM_H

#include "qom/object.h"
#include "hw/resettable.h"
#include "hw/i386/x86.h"
#include "pvh-acpi.h"
#include "pvh-cpu.h"
#include "pvh-elf.h"
#include "pvh-layout.h"
#include "pvh-smbios.h"

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

typedef struct PVHFile {
    const char *what;           /* "kernel" or "initrd" */
    char *name;
    int fd;                     /* -1: none */
    uint64_t size;
} PVHFile;

/**
 * PVHProtocol: one boot protocol on top of the platform
 * @name: for messages ("PVH", "Linux")
 * @id: for the machine's boot-protocol property ("pvh", "linux")
 * @host_kaslr: the pvh-kaslr property moves relocatable images of this
 *     protocol (false where the kernel does its own KASLR)
 * @keeps_image: the protocol reads the kernel and the files it names
 *     once, at load, and writes them from memory at every reset (in
 *     @install: its one segment has filesz 0), as multiboot's firmware
 *     path did through fw_cfg.  The platform then neither opens nor
 *     follows the kernel file, and leaves -initrd (the module list) to
 *     the protocol.
 * @parse: read the kernel file as it is now into @img (segments, entry,
 *     relocation range), from pvh_platform_pread(), never from a
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
    const char *id;
    bool host_kaslr;
    bool keeps_image;
    bool (*parse)(PVHBoot *b, PVHElfImage *img, Error **errp);
    void (*prepare)(PVHBoot *b, PVHLayout *lay);
    void (*install)(PVHBoot *b);
    void (*entry)(PVHBoot *b, PVHCpuState *s);
    void (*cleanup)(PVHBoot *b);
} PVHProtocol;

/* What pvh_acpi_install() keeps from one reset to the next */
#define PVH_ACPI_FILES 4
typedef struct PVHAcpiPointer {
    char dest[PVH_LINKER_FILESZ];
    uint32_t offset;
    uint8_t size;
    uint64_t value;
} PVHAcpiPointer;

typedef struct PVHAcpiCache {
    uint64_t base, size;        /* the area they were linked in; 0: none */
    uint64_t used;
    uint64_t facs;
    PVHAcpiFile files[PVH_ACPI_FILES];  /* linked, data owned */
    uint64_t data_end[PVH_ACPI_FILES];  /* pvh_acpi_data_end() of each */
    unsigned nr_pointers;
    PVHAcpiPointer pointers[4];
} PVHAcpiCache;

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
    const char *cmdline;
    uint64_t acpi_size;         /* 0: no ACPI tables */
    uint64_t smbios_size;       /* at the end of the tables area */
    bool started;               /* a reset has completed once */
    bool mmcfg_reserved;        /* q35's MMCONFIG is in the memmap */
    uint64_t facs;              /* where the tables put the FACS, or 0 */
    bool vga_text;              /* a VGA was put in 80x25 text mode */
    PVHAcpiCache acpi;
    bool acpi_machine_done;     /* fw_cfg's tables are the first reset's */
    /* The devices firmware programmed: looked for once, NULL if absent */
    bool chipset_found;
    PCIDevice *pm, *lpc, *mch;  /* PIIX4 PM, ICH9 LPC, q35's MCH */
    bool isa_vga_checked, isa_vga;
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
 * pvh_platform_confidential: the confidential guest support object
 * (SEV, SEV-ES, SEV-SNP, TDX), or NULL.  Such a guest's memory is
 * private: the host cannot write the kernel into it.
 */
Object *pvh_platform_confidential(X86MachineState *x86ms);

/**
 * pvh_platform_check_confidential: refuse a confidential guest
 * @x86ms: the machine, with direct boot on (auto never gets here)
 * @errp: set, naming the kernel and the guest type, for such a guest
 *
 * Returns false with @errp set if the guest is confidential.
 */
bool pvh_platform_check_confidential(X86MachineState *x86ms, Error **errp);

/**
 * pvh_platform_open: open @name as @f (read-only, non-blocking), a
 * regular non-empty file; @f's old fd, if any, is closed
 * @errp: set, naming the file as @what ("kernel", "initrd"), on failure
 */
bool pvh_platform_open(PVHFile *f, const char *what, const char *name,
                       Error **errp);

/**
 * pvh_platform_layout_init: pvh_layout_init() from the machine's e820
 * table, which must be complete
 */
PVHLayoutError pvh_platform_layout_init(PVHLayout *lay);

/* Close @f and free its name; @f may be closed already */
void pvh_platform_close(PVHFile *f);

/* Reads @len bytes at @off of the file; false on a short read */
bool pvh_platform_pread(void *file, uint64_t off, void *dst, uint64_t len);

/* Write @len bytes into guest RAM at @addr */
void pvh_platform_write(hwaddr addr, const void *buf, hwaddr len);

/*
 * Zero @len bytes of guest RAM at @addr, writing only where they do not
 * read zero already: fresh guest RAM then stays unallocated (reading it
 * maps the host's zero page; a write would allocate and clear a page).
 */
void pvh_platform_clear(hwaddr addr, hwaddr len);

#endif
