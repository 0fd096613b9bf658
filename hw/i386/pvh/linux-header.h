/*
 * Direct boot of a Linux bzImage: the setup header and boot_params
 * (pure code, no QEMU state)
 *
 * The Linux/x86 boot protocol (Documentation/arch/x86/boot.rst), its
 * 32-bit entry: the loader reads the setup header, loads the
 * protected-mode kernel, fills struct boot_params (zero-page.rst) and
 * jumps to the kernel's 32-bit entry with %esi pointing at it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_LINUX_HEADER_H
#define HW_I386_LINUX_HEADER_H

#include "pvh-elf.h"
#include "layout.h"

/* What pvh_linux_parse() needs of the file: the setup header */
#define PVH_LINUX_HEADER_BYTES  0x290

/* boot_params (zero-page.rst) */
enum {
    PVH_BP_SCREEN_INFO          = 0x000,
    PVH_BP_ACPI_RSDP_ADDR       = 0x070,    /* u64, protocol 2.14 */
    PVH_BP_EXT_RAMDISK_IMAGE    = 0x0c0,    /* u32 */
    PVH_BP_EXT_RAMDISK_SIZE     = 0x0c4,    /* u32 */
    PVH_BP_EXT_CMD_LINE_PTR     = 0x0c8,    /* u32 */
    PVH_BP_E820_ENTRIES         = 0x1e8,    /* u8 */
    PVH_BP_HDR                  = 0x1f1,    /* the setup header */
    PVH_BP_E820_TABLE           = 0x2d0,    /* 128 x 20 bytes */
    PVH_BP_SIZE                 = 0x1000,
};

/* The setup header, at its offsets in the file and in boot_params */
enum {
    PVH_HDR_SETUP_SECTS         = 0x1f1,    /* u8 */
    PVH_HDR_SYSSIZE             = 0x1f4,    /* u32, 16-byte units */
    PVH_HDR_VID_MODE            = 0x1fa,    /* u16 */
    PVH_HDR_JUMP                = 0x200,    /* u16: jmp rel8 */
    PVH_HDR_MAGIC               = 0x202,    /* "HdrS" */
    PVH_HDR_VERSION             = 0x206,    /* u16 */
    PVH_HDR_TYPE_OF_LOADER      = 0x210,    /* u8 */
    PVH_HDR_LOADFLAGS           = 0x211,    /* u8 */
    PVH_HDR_CODE32_START        = 0x214,    /* u32 */
    PVH_HDR_RAMDISK_IMAGE       = 0x218,    /* u32 */
    PVH_HDR_RAMDISK_SIZE        = 0x21c,    /* u32 */
    PVH_HDR_CMD_LINE_PTR        = 0x228,    /* u32, 2.02 */
    PVH_HDR_INITRD_ADDR_MAX     = 0x22c,    /* u32, 2.03 */
    PVH_HDR_KERNEL_ALIGNMENT    = 0x230,    /* u32, 2.05 */
    PVH_HDR_RELOCATABLE         = 0x234,    /* u8, 2.05 */
    PVH_HDR_XLOADFLAGS          = 0x236,    /* u16, 2.12 */
    PVH_HDR_CMDLINE_SIZE        = 0x238,    /* u32, 2.06 */
    PVH_HDR_PAYLOAD_OFFSET      = 0x248,    /* u32, 2.08 */
    PVH_HDR_PAYLOAD_LENGTH      = 0x24c,    /* u32, 2.08 */
    PVH_HDR_SETUP_DATA          = 0x250,    /* u64, 2.09 */
    PVH_HDR_PREF_ADDRESS        = 0x258,    /* u64, 2.10 */
    PVH_HDR_INIT_SIZE           = 0x260,    /* u32, 2.10 */
};

#define PVH_LINUX_MAGIC             0x53726448  /* "HdrS" */
#define PVH_LINUX_LOADED_HIGH       0x01
#define PVH_LINUX_XLF_ABOVE_4G      (1 << 1)    /* CAN_BE_LOADED_ABOVE_4G */
#define PVH_LINUX_CODE32_DEFAULT    0x100000
#define PVH_LINUX_LOADER_QEMU       0xb0        /* type_of_loader */
#define PVH_LINUX_E820_IN_BP        128
#define PVH_LINUX_E820_ENTRY_SIZE   20

/* setup_data types */
#define PVH_SETUP_E820_EXT          1
#define PVH_SETUP_DTB               2
#define PVH_SETUP_HDR_SIZE          16          /* next, type, len */

/* In the block pvh_linux_write_info() fills: boot_params, GDT, setup_data */
#define PVH_LINUX_INFO_GDT          PVH_BP_SIZE
#define PVH_LINUX_INFO_SETUP_DATA   (PVH_BP_SIZE + 0x40)

typedef enum PVHLinuxError {
    PVH_LINUX_OK = 0,
    PVH_LINUX_NOT_BZIMAGE,      /* no "HdrS": not ours, try another */
    /* The image cannot be entered without BIOS services: firmware boots it */
    PVH_LINUX_OLD_PROTOCOL,
    PVH_LINUX_LOADED_LOW,
    PVH_LINUX_NO_32BIT_ENTRY,
    /* Malformed */
    PVH_LINUX_TRUNCATED,
    PVH_LINUX_SHORT_HEADER,
    PVH_LINUX_SETUP_PAST_EOF,
    PVH_LINUX_NO_PAYLOAD,
    PVH_LINUX_PAYLOAD_PAST_EOF,
    PVH_LINUX_BAD_ALIGNMENT,
    PVH_LINUX_ABOVE_4G,
    /* The payload, for pvh_linux_payload() */
    PVH_LINUX_NO_PAYLOAD_FIELDS,
    PVH_LINUX_PAYLOAD_OUTSIDE,
} PVHLinuxError;

typedef struct PVHLinuxImage {
    uint16_t protocol;
    uint32_t setup_size;        /* real-mode part: (setup_sects + 1) * 512 */
    uint32_t header_end;        /* 0x202 + the byte at 0x201, capped */
    uint8_t header[PVH_LINUX_HEADER_BYTES];     /* the file's first bytes */
    uint32_t cmdline_max;       /* cmdline_size: bytes without the NUL */
    uint64_t initrd_limit;      /* initrd_addr_max + 1 */
    bool initrd_above_4g;       /* XLF_CAN_BE_LOADED_ABOVE_4G */
    bool relocatable;
    /*
     * The protected-mode kernel as a one-segment image: file offset
     * setup_size, syssize * 16 bytes, loaded at pref_address (or 1 MiB)
     * with init_size bytes of RAM, not zeroed (the decompressor's own);
     * entry at the load address.  A
     * relocatable kernel may go to any kernel_alignment multiple at or
     * above pref_address, below 4 GiB.
     */
    PVHElfImage img;
    uint64_t err_a, err_b;
} PVHLinuxImage;

/**
 * pvh_linux_parse: read a bzImage's setup header
 * @hdr: the first bytes of the file; untrusted
 * @hdr_len: how many (PVH_LINUX_HEADER_BYTES, or fewer if the file is)
 * @file_size: the whole file's size
 * @li: filled on success; on failure holds the values for the message
 *
 * Returns PVH_LINUX_OK, PVH_LINUX_NOT_BZIMAGE, one of the three errors
 * that say the image needs firmware (see pvh_linux_needs_firmware()), or
 * a malformed-image error.
 */
PVHLinuxError pvh_linux_parse(const uint8_t *hdr, size_t hdr_len,
                              uint64_t file_size, PVHLinuxImage *li);

/**
 * pvh_linux_needs_firmware: is @err about an image that is fine but
 * whose entry needs BIOS services (its 16-bit setup code)?
 */
bool pvh_linux_needs_firmware(PVHLinuxError err);

/**
 * pvh_linux_describe: one line naming the defect, without the file name
 */
char *pvh_linux_describe(PVHLinuxError err, const PVHLinuxImage *li);

/* How a bzImage's payload is compressed (the kernel's CONFIG_KERNEL_*) */
typedef enum PVHLinuxPacking {
    PVH_PACKING_UNKNOWN,
    PVH_PACKING_NONE,           /* an ELF as it is */
    PVH_PACKING_GZIP,
    PVH_PACKING_XZ,
    PVH_PACKING_ZSTD,
    PVH_PACKING_BZIP2,
    PVH_PACKING_LZMA,
    PVH_PACKING_LZO,
    PVH_PACKING_LZ4,
} PVHLinuxPacking;

/* Bytes of the payload pvh_linux_packing() looks at */
#define PVH_LINUX_PACKING_MAGIC     6

/* The payload: the compressed ELF vmlinux the decompressor unpacks */
typedef struct PVHLinuxPayload {
    uint64_t offset;            /* in the file */
    uint32_t length;            /* with the 4-byte size trailer */
} PVHLinuxPayload;

/**
 * pvh_linux_payload: where a parsed bzImage keeps its payload
 * @li: the image, as pvh_linux_parse() returned it (PVH_LINUX_OK)
 * @p: filled on success
 *
 * The payload is payload_length bytes at payload_offset into the
 * protected-mode kernel (protocol 2.08); its last 4 bytes give the
 * unpacked size (little-endian), as the kernel's build appends them.
 * Returns PVH_LINUX_NO_PAYLOAD_FIELDS before 2.08, and
 * PVH_LINUX_PAYLOAD_OUTSIDE for a payload not inside the protected-mode
 * kernel or too short to hold a format's magic and the trailer.
 */
PVHLinuxError pvh_linux_payload(PVHLinuxImage *li, PVHLinuxPayload *p);

/**
 * pvh_linux_packing: the payload's format, from its first bytes
 * @magic: PVH_LINUX_PACKING_MAGIC bytes
 */
PVHLinuxPacking pvh_linux_packing(const uint8_t *magic);

/* "gzip", "XZ", ...: the name of @packing, for messages */
const char *pvh_linux_packing_name(PVHLinuxPacking packing);

/* Where pvh_layout_place() put things, for boot_params */
typedef struct PVHLinuxPlace {
    uint64_t info;              /* the block: boot_params, GDT, setup_data */
    uint64_t base;              /* the protected-mode kernel */
    uint64_t cmdline;
    uint64_t initrd, initrd_size;
    uint64_t rsdp;              /* 0: none */
    bool vga_text;              /* a VGA in 80x25 text mode: screen_info */
    int vid_mode;               /* -1: keep the header's */
} PVHLinuxPlace;

/**
 * pvh_linux_info_size: bytes of the block pvh_linux_write_info() fills
 * @nr_e820: memory map entries (past 128 they go to SETUP_E820_EXT)
 * @dtb_size: bytes of device tree for SETUP_DTB; 0 for none
 */
uint64_t pvh_linux_info_size(unsigned nr_e820, uint32_t dtb_size);

/**
 * pvh_linux_write_info: boot_params, the GDT and the setup_data chain
 * @li: the parsed image
 * @p: where things are
 * @e820: the memory map
 * @nr_e820: its entries
 * @dtb: device tree for SETUP_DTB, or NULL
 * @dtb_size: its bytes
 * @out: pvh_linux_info_size() bytes, loaded at @p->info
 *
 * boot_params is zero but for the setup header copied from the image
 * (then type_of_loader, code32_start, cmd_line_ptr, ramdisk_* and
 * setup_data set), the e820 table, acpi_rsdp_addr (protocol 2.14), the
 * ext_* high halves and, with @p->vga_text, screen_info.
 */
void pvh_linux_write_info(const PVHLinuxImage *li, const PVHLinuxPlace *p,
                          const PVHRange *e820, unsigned nr_e820,
                          const uint8_t *dtb, uint32_t dtb_size,
                          uint8_t *out);

#endif
