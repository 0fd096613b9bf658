/*
 * Direct kernel boot: which path boots -kernel, and why (pure code)
 *
 * One decision for the three protocols.  The glue (boot-path.c) gathers
 * the facts about the image and the machine; pvh_boot_path_choose()
 * picks the loader, the firmware path or a refusal, with the reason that
 * the machine's boot-path-reason property shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_BOOT_PATH_CHOICE_H
#define HW_I386_PVH_BOOT_PATH_CHOICE_H

/* The machine's direct-boot property */
typedef enum PVHDirectSetting {
    PVH_DIRECT_AUTO,            /* the machine type's default */
    PVH_DIRECT_ON,
    PVH_DIRECT_OFF,
} PVHDirectSetting;

/* What the first bytes of -kernel say it is */
typedef enum PVHImageKind {
    PVH_IMAGE_OTHER,
    PVH_IMAGE_BZIMAGE,          /* a Linux setup header: "HdrS" at 0x202 */
    PVH_IMAGE_ELF,              /* ELF magic, no setup header */
} PVHImageKind;

/* A multiboot header in the first 8 KiB (not looked for in a bzImage) */
typedef enum PVHMultibootHeader {
    PVH_MB_NONE,
    PVH_MB_VALID,
    PVH_MB_BAD_CHECKSUM,        /* the magic, but no header that adds up */
} PVHMultibootHeader;

/* The bzImage's setup header, as linux-header.c judges it */
typedef enum PVHLinuxVerdict {
    PVH_LINUX_HEADER_OK,
    PVH_LINUX_HEADER_NEEDS_FIRMWARE,    /* its entry needs BIOS services */
    PVH_LINUX_HEADER_MALFORMED,
} PVHLinuxVerdict;

typedef struct PVHBootFacts {
    PVHImageKind image;
    PVHMultibootHeader multiboot;
    PVHLinuxVerdict linux_header;       /* bzImage only */
    PVHDirectSetting direct;
    bool type_direct;           /* the machine type boots directly on auto */
    bool confidential;          /* confidential guest support is set */
    bool prefer_pvh;            /* an ELF boots through PVH, not multiboot */
    bool pvh_unpack;            /* a bzImage's payload is unpacked by QEMU */
    bool dtb;                   /* -dtb was given */
    bool pvh_elf;               /* the machine type boots PVH ELF kernels */
} PVHBootFacts;

typedef enum PVHBootRoute {
    PVH_ROUTE_DIRECT,           /* QEMU loads it, no firmware runs */
    PVH_ROUTE_FIRMWARE,         /* upstream's loaders, then firmware */
    PVH_ROUTE_REFUSE,           /* QEMU exits with a message */
} PVHBootRoute;

/* The loader; on the firmware path, what firmware boots */
typedef enum PVHBootProtocol {
    PVH_PROTOCOL_PVH,
    PVH_PROTOCOL_LINUX,
    PVH_PROTOCOL_MULTIBOOT,
    PVH_PROTOCOL_UNPACK,        /* a bzImage's payload, entered as PVH */
} PVHBootProtocol;

typedef enum PVHBootReason {
    /* direct */
    PVH_REASON_ON,              /* direct-boot=on */
    PVH_REASON_TYPE_DIRECT,     /* auto, and the type boots directly */
    /* firmware */
    PVH_REASON_OFF,             /* direct-boot=off */
    PVH_REASON_CONFIDENTIAL,    /* firmware on auto, refused on on */
    PVH_REASON_TYPE_FIRMWARE,   /* auto, and the type boots via firmware */
    PVH_REASON_LINUX_NEEDS_BIOS,
    PVH_REASON_MULTIBOOT_AUTO,  /* multiboot boots directly only on on */
    PVH_REASON_NO_PVH,          /* an ELF on a type without PVH boot */
    PVH_REASON_NOT_DIRECT,      /* no bzImage, ELF or multiboot kernel */
    /* refused */
    PVH_REASON_LINUX_HEADER,    /* a setup header the direct path refuses */
    PVH_REASON_MULTIBOOT_CHECKSUM,
    PVH_REASON_DTB_UNPACK,      /* -dtb with pvh-unpack=on */
} PVHBootReason;

typedef struct PVHBootChoice {
    PVHBootRoute route;
    PVHBootProtocol protocol;
    PVHBootReason reason;
} PVHBootChoice;

/**
 * pvh_boot_path_direct_enabled: does the machine boot -kernel directly?
 * @direct: the direct-boot property
 * @type_direct: the machine type's default for "auto"
 * @confidential: confidential guest support is set
 *
 * On "auto" a confidential guest boots through firmware: its memory is
 * private, and QEMU cannot write the kernel into it.
 */
bool pvh_boot_path_direct_enabled(PVHDirectSetting direct, bool type_direct,
                                  bool confidential);

/**
 * pvh_boot_path_choose: which path boots -kernel, and why
 * @f: the facts about the image and the machine
 *
 * Returns the route, the protocol (the direct loader, what firmware
 * boots, or what was refused) and the reason.  A malformed image that
 * the chosen loader reads is refused by that loader, with its detail;
 * only what decides the path is judged here.
 */
PVHBootChoice pvh_boot_path_choose(const PVHBootFacts *f);

/**
 * pvh_boot_path_protocol_id: the protocol's name in the boot-protocol property
 * @p: the protocol
 *
 * Returns "pvh", "linux", "multiboot" or "pvh-unpack".
 */
const char *pvh_boot_path_protocol_id(PVHBootProtocol p);

#endif
