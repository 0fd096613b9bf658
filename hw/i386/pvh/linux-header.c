/*
 * Direct boot of a Linux bzImage: the setup header and boot_params
 *
 * Which images take the 32-bit entry: those whose setup header says the
 * protected-mode kernel can be entered on its own.  That is protocol
 * 2.02 or later (the first with cmd_line_ptr, what the 32-bit boot
 * protocol starts from), LOADED_HIGH (a bzImage: the protected-mode
 * part runs at 1 MiB, not below 640 KiB) and code32_start at 1 MiB, the
 * load address, as Linux and memtest86+ have it.  An image whose
 * code32_start is anything else (iPXE's .lkrn has 0) means its 16-bit
 * setup code is the real entry, and that code calls the BIOS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "cpu-state.h"
#include "vga-text.h"
#include "linux-header.h"

#define PAGE            0x1000ULL
#define FOUR_G          (1ULL << 32)

/* ldl_le_p() returns an int: take the field as the u32 it is */
static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)ldl_le_p(p);
}

bool pvh_linux_needs_firmware(PVHLinuxError err)
{
    return err == PVH_LINUX_OLD_PROTOCOL || err == PVH_LINUX_LOADED_LOW ||
           err == PVH_LINUX_NO_32BIT_ENTRY;
}

/* Where the setup header must end at least: past its protocol's fields */
static uint32_t header_min_end(uint16_t protocol)
{
    return protocol >= 0x20a ? PVH_HDR_INIT_SIZE + 4 :
           protocol >= 0x209 ? PVH_HDR_SETUP_DATA + 8 :
           protocol >= 0x206 ? PVH_HDR_CMDLINE_SIZE + 4 :
           protocol >= 0x205 ? PVH_HDR_RELOCATABLE + 2 :
           protocol >= 0x203 ? PVH_HDR_INITRD_ADDR_MAX + 4 :
           PVH_HDR_CMD_LINE_PTR + 4;
}

static PVHLinuxError fail(PVHLinuxImage *li, PVHLinuxError err, uint64_t a,
                          uint64_t b)
{
    li->err_a = a;
    li->err_b = b;
    return err;
}

/* Is the 32-bit entry usable without BIOS services? */
static PVHLinuxError parse_entry(PVHLinuxImage *li, size_t hdr_len,
                                 uint64_t file_size)
{
    const uint8_t *h = li->header;

    if (hdr_len < PVH_HDR_VERSION + 2 || file_size < hdr_len ||
        ld32(h + PVH_HDR_MAGIC) != PVH_LINUX_MAGIC) {
        return PVH_LINUX_NOT_BZIMAGE;
    }
    li->protocol = lduw_le_p(h + PVH_HDR_VERSION);
    if (li->protocol < 0x202) {
        return fail(li, PVH_LINUX_OLD_PROTOCOL, li->protocol, 0);
    }
    if (hdr_len < PVH_LINUX_HEADER_BYTES) {
        return fail(li, PVH_LINUX_TRUNCATED, file_size, 0);
    }
    if (!(h[PVH_HDR_LOADFLAGS] & PVH_LINUX_LOADED_HIGH)) {
        return fail(li, PVH_LINUX_LOADED_LOW, 0, 0);
    }
    if (ld32(h + PVH_HDR_CODE32_START) != PVH_LINUX_CODE32_DEFAULT) {
        return fail(li, PVH_LINUX_NO_32BIT_ENTRY,
                    ld32(h + PVH_HDR_CODE32_START), 0);
    }
    return PVH_LINUX_OK;
}

/* The setup code, then the payload (*@syssize bytes) in the file */
static PVHLinuxError parse_payload(PVHLinuxImage *li, uint64_t file_size,
                                   uint64_t *syssize)
{
    const uint8_t *h = li->header;
    uint32_t setup_sects = h[PVH_HDR_SETUP_SECTS] ? h[PVH_HDR_SETUP_SECTS] :
                           4;
    uint64_t payload;

    li->setup_size = (setup_sects + 1) * 512;
    /* At most 0x290, inside the smallest setup code (1 KiB) */
    li->header_end = MIN(PVH_HDR_MAGIC + h[PVH_HDR_JUMP + 1],
                         PVH_LINUX_HEADER_BYTES);
    if (li->header_end < header_min_end(li->protocol)) {
        return fail(li, PVH_LINUX_SHORT_HEADER, li->header_end,
                    header_min_end(li->protocol));
    }
    if (li->setup_size >= file_size) {
        return fail(li, PVH_LINUX_SETUP_PAST_EOF, li->setup_size, file_size);
    }
    payload = file_size - li->setup_size;
    *syssize = (uint64_t)ld32(h + PVH_HDR_SYSSIZE) * 16;
    if (!*syssize) {
        return fail(li, PVH_LINUX_NO_PAYLOAD, 0, 0);
    }
    /* syssize is rounded up to 16 bytes: the file may end before it */
    if (*syssize >= payload + 16) {
        return fail(li, PVH_LINUX_PAYLOAD_PAST_EOF, *syssize, payload);
    }
    *syssize = MIN(*syssize, payload);
    return PVH_LINUX_OK;
}

/* What the header lets the loader do: command line, initrd, relocation */
static void parse_limits(PVHLinuxImage *li)
{
    const uint8_t *h = li->header;

    li->cmdline_max = li->protocol >= 0x206 ?
                      ld32(h + PVH_HDR_CMDLINE_SIZE) : 255;
    li->initrd_limit = li->protocol >= 0x203 ?
                       (uint64_t)ld32(h + PVH_HDR_INITRD_ADDR_MAX) + 1 :
                       0x38000000;
    li->initrd_above_4g = li->protocol >= 0x20c &&
        (lduw_le_p(h + PVH_HDR_XLOADFLAGS) & PVH_LINUX_XLF_ABOVE_4G);
    li->relocatable = li->protocol >= 0x205 && h[PVH_HDR_RELOCATABLE];
}

/* The one segment: where the kernel runs and the room it needs there */
static PVHLinuxError parse_placement(PVHLinuxImage *li, uint64_t syssize)
{
    const uint8_t *h = li->header;
    uint64_t base = PVH_LINUX_CODE32_DEFAULT, memsz = syssize;
    uint32_t align;

    if (li->protocol >= 0x20a) {
        memsz = MAX(memsz, ld32(h + PVH_HDR_INIT_SIZE));
        if (li->relocatable) {
            base = MAX(ldq_le_p(h + PVH_HDR_PREF_ADDRESS),
                       PVH_LINUX_CODE32_DEFAULT);
        }
    }
    if (base >= FOUR_G || memsz > FOUR_G - base) {
        return fail(li, PVH_LINUX_ABOVE_4G, base, memsz);
    }
    li->img = (PVHElfImage) {
        .entry = base,
        .nr_segments = 1,
        .segments[0] = { li->setup_size, base, syssize, memsz },
        .scratch = true,
        .err_index = -1,
    };
    if (!li->relocatable) {
        return PVH_LINUX_OK;
    }
    align = ld32(h + PVH_HDR_KERNEL_ALIGNMENT);
    if (align < PAGE || (align & (align - 1))) {
        return fail(li, PVH_LINUX_BAD_ALIGNMENT, align, 0);
    }
    /*
     * Below pref_address, a relocatable x86-64 kernel decompresses at
     * pref_address all the same: do not load it lower.
     */
    li->img.reloc = true;
    li->img.reloc_align = align;
    li->img.reloc_min = base;
    li->img.reloc_max = 0xffffffff;
    return PVH_LINUX_OK;
}

PVHLinuxError pvh_linux_parse(const uint8_t *hdr, size_t hdr_len,
                              uint64_t file_size, PVHLinuxImage *li)
{
    uint64_t syssize = 0;
    PVHLinuxError err;

    memset(li, 0, sizeof(*li));
    memcpy(li->header, hdr, MIN(hdr_len, sizeof(li->header)));
    err = parse_entry(li, hdr_len, file_size);
    if (!err) {
        err = parse_payload(li, file_size, &syssize);
    }
    if (!err) {
        parse_limits(li);
        err = parse_placement(li, syssize);
    }
    return err;
}

/*
 * A message table, one case per error with its details: longer than
 * the 40 lines a pure function gets, on purpose (one place to read
 * every message).
 */
char *pvh_linux_describe(PVHLinuxError err, const PVHLinuxImage *li)
{
    switch (err) {
    case PVH_LINUX_OK:
        return g_strdup("no error");
    case PVH_LINUX_NOT_BZIMAGE:
        return g_strdup("not a bzImage (no \"HdrS\" setup header)");
    case PVH_LINUX_OLD_PROTOCOL:
        return g_strdup_printf("boot protocol %u.%02u is older than 2.02, "
                               "the first with a 32-bit entry: it needs "
                               "firmware", (unsigned)(li->err_a >> 8),
                               (unsigned)(li->err_a & 0xff));
    case PVH_LINUX_LOADED_LOW:
        return g_strdup("a zImage (LOADED_HIGH clear), whose setup code "
                        "needs firmware");
    case PVH_LINUX_NO_32BIT_ENTRY:
        return g_strdup_printf("code32_start is 0x%" PRIx64 ", not 0x100000: "
                               "its 16-bit setup code is its entry and needs "
                               "firmware", li->err_a);
    case PVH_LINUX_TRUNCATED:
        return g_strdup_printf("file of %" PRIu64 " bytes ends inside its "
                               "setup header", li->err_a);
    case PVH_LINUX_SHORT_HEADER:
        return g_strdup_printf("setup header ends at 0x%" PRIx64 " (its jump "
                               "at 0x200), before the end of its protocol "
                               "%u.%02u's fields at 0x%" PRIx64, li->err_a,
                               li->protocol >> 8, li->protocol & 0xff,
                               li->err_b);
    case PVH_LINUX_SETUP_PAST_EOF:
        return g_strdup_printf("setup_sects gives %" PRIu64 " bytes of setup "
                               "code, the file has %" PRIu64, li->err_a,
                               li->err_b);
    case PVH_LINUX_NO_PAYLOAD:
        return g_strdup("syssize is 0: no protected-mode kernel");
    case PVH_LINUX_PAYLOAD_PAST_EOF:
        return g_strdup_printf("syssize gives a %" PRIu64 "-byte kernel, the "
                               "file has %" PRIu64 " after its setup code",
                               li->err_a, li->err_b);
    case PVH_LINUX_BAD_ALIGNMENT:
        return g_strdup_printf("relocatable with kernel_alignment 0x%" PRIx64
                               ", not a power of two of at least 4 KiB",
                               li->err_a);
    case PVH_LINUX_ABOVE_4G:
        return g_strdup_printf("kernel at 0x%" PRIx64 " with 0x%" PRIx64
                               " bytes (init_size) ends above 4 GiB",
                               li->err_a, li->err_b);
    case PVH_LINUX_NO_PAYLOAD_FIELDS:
        return g_strdup_printf("boot protocol %u.%02u does not say where its "
                               "payload is (payload_offset, 2.08)",
                               li->protocol >> 8, li->protocol & 0xff);
    case PVH_LINUX_PAYLOAD_OUTSIDE:
        return g_strdup_printf("payload_offset 0x%" PRIx64 " and "
                               "payload_length 0x%" PRIx64 " are not inside "
                               "its protected-mode kernel", li->err_a,
                               li->err_b);
    }
    return g_strdup_printf("unknown error %d", err);
}

PVHLinuxError pvh_linux_payload(PVHLinuxImage *li, PVHLinuxPayload *p)
{
    const uint8_t *h = li->header;
    uint64_t off, len;

    if (li->protocol < 0x208) {
        return PVH_LINUX_NO_PAYLOAD_FIELDS;
    }
    off = ld32(h + PVH_HDR_PAYLOAD_OFFSET);
    len = ld32(h + PVH_HDR_PAYLOAD_LENGTH);
    if (len < PVH_LINUX_PACKING_MAGIC + 4 ||
        off + len > li->img.segments[0].filesz) {
        return fail(li, PVH_LINUX_PAYLOAD_OUTSIDE, off, len);
    }
    p->offset = li->img.segments[0].offset + off;
    p->length = len;
    return PVH_LINUX_OK;
}

PVHLinuxPacking pvh_linux_packing(const uint8_t *m)
{
    static const struct {
        PVHLinuxPacking packing;
        uint8_t len;
        uint8_t magic[PVH_LINUX_PACKING_MAGIC];
    } known[] = {
        { PVH_PACKING_NONE, 4, { 0x7f, 'E', 'L', 'F' } },
        { PVH_PACKING_GZIP, 2, { 0x1f, 0x8b } },
        { PVH_PACKING_XZ, 6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
        { PVH_PACKING_ZSTD, 4, { 0x28, 0xb5, 0x2f, 0xfd } },
        { PVH_PACKING_BZIP2, 3, { 'B', 'Z', 'h' } },
        { PVH_PACKING_LZMA, 3, { 0x5d, 0, 0 } },
        { PVH_PACKING_LZO, 4, { 0x89, 'L', 'Z', 'O' } },
        { PVH_PACKING_LZ4, 4, { 0x02, 0x21, 0x4c, 0x18 } },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(known); i++) {
        if (!memcmp(m, known[i].magic, known[i].len)) {
            return known[i].packing;
        }
    }
    return PVH_PACKING_UNKNOWN;
}

const char *pvh_linux_packing_name(PVHLinuxPacking packing)
{
    static const char *const names[] = {
        [PVH_PACKING_UNKNOWN] = "unknown",
        [PVH_PACKING_NONE] = "uncompressed",
        [PVH_PACKING_GZIP] = "gzip",
        [PVH_PACKING_XZ] = "XZ",
        [PVH_PACKING_ZSTD] = "ZSTD",
        [PVH_PACKING_BZIP2] = "bzip2",
        [PVH_PACKING_LZMA] = "LZMA",
        [PVH_PACKING_LZO] = "LZO",
        [PVH_PACKING_LZ4] = "LZ4",
    };

    return packing < ARRAY_SIZE(names) ? names[packing] : "unknown";
}

uint64_t pvh_linux_info_size(unsigned nr_e820, uint32_t dtb_size)
{
    uint64_t size = PVH_LINUX_INFO_SETUP_DATA;

    if (nr_e820 > PVH_LINUX_E820_IN_BP) {
        size += QEMU_ALIGN_UP(PVH_SETUP_HDR_SIZE +
                              (nr_e820 - PVH_LINUX_E820_IN_BP) *
                              PVH_LINUX_E820_ENTRY_SIZE, 16);
    }
    if (dtb_size) {
        size += QEMU_ALIGN_UP(PVH_SETUP_HDR_SIZE + (uint64_t)dtb_size, 16);
    }
    return size;
}

static void write_e820(uint8_t *out, const PVHRange *r)
{
    stq_le_p(out, r->addr);
    stq_le_p(out + 8, r->size);
    stl_le_p(out + 16, r->type);
}

/* Append one setup_data node at @*off of @out; link it from @*link */
static uint8_t *add_setup_data(uint8_t *out, uint64_t base, uint64_t *off,
                               uint8_t **link, uint32_t type, uint32_t len)
{
    uint8_t *node = out + *off;

    stq_le_p(*link, base + *off);
    stq_le_p(node, 0);
    stl_le_p(node + 8, type);
    stl_le_p(node + 12, len);
    *link = node;
    *off += QEMU_ALIGN_UP(PVH_SETUP_HDR_SIZE + (uint64_t)len, 16);
    return node + PVH_SETUP_HDR_SIZE;
}

/* boot_params' setup header and the fields a boot loader fills in */
static void write_boot_params(const PVHLinuxImage *li,
                              const PVHLinuxPlace *p, uint8_t *bp)
{
    memcpy(bp + PVH_BP_HDR, li->header + PVH_BP_HDR,
           li->header_end - PVH_BP_HDR);
    bp[PVH_HDR_TYPE_OF_LOADER] = PVH_LINUX_LOADER_QEMU;
    stl_le_p(bp + PVH_HDR_CODE32_START, p->base);
    stl_le_p(bp + PVH_HDR_CMD_LINE_PTR, p->cmdline);
    stl_le_p(bp + PVH_BP_EXT_CMD_LINE_PTR, p->cmdline >> 32);
    stl_le_p(bp + PVH_HDR_RAMDISK_IMAGE, p->initrd);
    stl_le_p(bp + PVH_HDR_RAMDISK_SIZE, p->initrd_size);
    stl_le_p(bp + PVH_BP_EXT_RAMDISK_IMAGE, p->initrd >> 32);
    stl_le_p(bp + PVH_BP_EXT_RAMDISK_SIZE, p->initrd_size >> 32);
    if (p->vid_mode >= 0) {
        stw_le_p(bp + PVH_HDR_VID_MODE, p->vid_mode);
    }
    if (li->protocol >= 0x20e) {
        stq_le_p(bp + PVH_BP_ACPI_RSDP_ADDR, p->rsdp);
    }
    if (p->vga_text) {
        pvh_vga_text_screen_info(bp + PVH_BP_SCREEN_INFO);
    }
}

void pvh_linux_write_info(const PVHLinuxImage *li, const PVHLinuxPlace *p,
                          const PVHRange *e820, unsigned nr_e820,
                          const uint8_t *dtb, uint32_t dtb_size,
                          uint8_t *out)
{
    uint64_t off = PVH_LINUX_INFO_SETUP_DATA;
    uint8_t *bp = out, *link = bp + PVH_HDR_SETUP_DATA, *d;
    unsigned i, n = MIN(nr_e820, PVH_LINUX_E820_IN_BP);

    memset(out, 0, pvh_linux_info_size(nr_e820, dtb_size));
    write_boot_params(li, p, bp);
    bp[PVH_BP_E820_ENTRIES] = n;
    for (i = 0; i < n; i++) {
        write_e820(bp + PVH_BP_E820_TABLE + i * PVH_LINUX_E820_ENTRY_SIZE,
                   &e820[i]);
    }
    pvh_cpu_state_linux_gdt(out + PVH_LINUX_INFO_GDT);

    /* setup_data exists from protocol 2.09; the glue refuses a dtb before */
    stq_le_p(link, 0);
    if (nr_e820 > n) {
        d = add_setup_data(out, p->info, &off, &link, PVH_SETUP_E820_EXT,
                           (nr_e820 - n) * PVH_LINUX_E820_ENTRY_SIZE);
        for (i = n; i < nr_e820; i++) {
            write_e820(d + (i - n) * PVH_LINUX_E820_ENTRY_SIZE, &e820[i]);
        }
    }
    if (dtb_size) {
        d = add_setup_data(out, p->info, &off, &link, PVH_SETUP_DTB,
                           dtb_size);
        memcpy(d, dtb, dtb_size);
    }
}
