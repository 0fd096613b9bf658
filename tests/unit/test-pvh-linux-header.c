/*
 * The bzImage setup header parser and the boot_params writer
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/linux-header.h"

#define FILE_SIZE   (8 * 1024 * 1024)

/* A header like Debian's 6.1 bzImage's: protocol 2.15, relocatable */
static void debian_header(uint8_t *h)
{
    memset(h, 0, PVH_LINUX_HEADER_BYTES);
    h[PVH_HDR_SETUP_SECTS] = 39;
    stl_le_p(h + PVH_HDR_SYSSIZE, (FILE_SIZE - 40 * 512) / 16 - 100);
    h[PVH_HDR_JUMP] = 0xeb;
    h[PVH_HDR_JUMP + 1] = 0x6a;                 /* header ends at 0x26c */
    stl_le_p(h + PVH_HDR_MAGIC, PVH_LINUX_MAGIC);
    stw_le_p(h + PVH_HDR_VERSION, 0x20f);
    h[PVH_HDR_LOADFLAGS] = PVH_LINUX_LOADED_HIGH;
    stl_le_p(h + PVH_HDR_CODE32_START, 0x100000);
    stl_le_p(h + PVH_HDR_INITRD_ADDR_MAX, 0x7fffffff);
    stl_le_p(h + PVH_HDR_KERNEL_ALIGNMENT, 0x200000);
    h[PVH_HDR_RELOCATABLE] = 1;
    stw_le_p(h + PVH_HDR_XLOADFLAGS, 0x7f);
    stl_le_p(h + PVH_HDR_CMDLINE_SIZE, 2047);
    stq_le_p(h + PVH_HDR_PREF_ADDRESS, 0x1000000);
    stl_le_p(h + PVH_HDR_INIT_SIZE, 0x3f98000);
}

static void test_debian(void)
{
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    PVHLinuxImage li;

    debian_header(h);
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li), ==,
                    PVH_LINUX_OK);
    g_assert_cmphex(li.protocol, ==, 0x20f);
    g_assert_cmpuint(li.setup_size, ==, 40 * 512);
    g_assert_cmphex(li.header_end, ==, 0x26c);
    g_assert_cmpuint(li.cmdline_max, ==, 2047);
    g_assert_cmphex(li.initrd_limit, ==, 0x80000000);
    g_assert_true(li.initrd_above_4g);
    g_assert_cmpuint(li.img.nr_segments, ==, 1);
    g_assert_cmphex(li.img.entry, ==, 0x1000000);
    g_assert_cmphex(li.img.segments[0].offset, ==, 40 * 512);
    g_assert_cmphex(li.img.segments[0].paddr, ==, 0x1000000);
    g_assert_cmphex(li.img.segments[0].filesz, ==,
                    (uint64_t)((FILE_SIZE - 40 * 512) / 16 - 100) * 16);
    g_assert_cmphex(li.img.segments[0].memsz, ==, 0x3f98000);
    g_assert_true(li.img.scratch);
    g_assert_true(li.img.reloc);
    g_assert_cmphex(li.img.reloc_align, ==, 0x200000);
    g_assert_cmphex(li.img.reloc_min, ==, 0x1000000);
    g_assert_cmphex(li.img.reloc_max, ==, 0xffffffff);
}

/* memtest86+ 6.10: protocol 2.12, not relocatable, loaded at 1 MiB */
/* Where the payload is, and which of them pvh-unpack refuses */
static void test_payload(void)
{
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    uint64_t pm = (uint64_t)((FILE_SIZE - 40 * 512) / 16 - 100) * 16;
    g_autofree char *why = NULL;
    PVHLinuxPayload p;
    PVHLinuxImage li;

    debian_header(h);
    stl_le_p(h + PVH_HDR_PAYLOAD_OFFSET, 0x2cc);      /* Debian 6.1's */
    stl_le_p(h + PVH_HDR_PAYLOAD_LENGTH, 0x7bf070);
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li), ==,
                    PVH_LINUX_OK);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==, PVH_LINUX_OK);
    g_assert_cmphex(p.offset, ==, 40 * 512 + 0x2cc);
    g_assert_cmphex(p.length, ==, 0x7bf070);

    /* Ends exactly at the end of the protected-mode kernel: fine */
    stl_le_p(h + PVH_HDR_PAYLOAD_OFFSET, 16);
    stl_le_p(h + PVH_HDR_PAYLOAD_LENGTH, pm - 16);
    pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==, PVH_LINUX_OK);
    /* One byte past it */
    stl_le_p(h + PVH_HDR_PAYLOAD_LENGTH, pm - 15);
    pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==,
                    PVH_LINUX_PAYLOAD_OUTSIDE);
    /* An offset that would wrap a 32-bit sum */
    stl_le_p(h + PVH_HDR_PAYLOAD_OFFSET, 0xfffffff0);
    stl_le_p(h + PVH_HDR_PAYLOAD_LENGTH, 0x20);
    pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==,
                    PVH_LINUX_PAYLOAD_OUTSIDE);
    /* Too short for a magic and the size trailer */
    stl_le_p(h + PVH_HDR_PAYLOAD_OFFSET, 0);
    stl_le_p(h + PVH_HDR_PAYLOAD_LENGTH, 9);
    pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==,
                    PVH_LINUX_PAYLOAD_OUTSIDE);
    why = pvh_linux_describe(PVH_LINUX_PAYLOAD_OUTSIDE, &li);
    g_assert_cmpstr(why, ==, "payload_offset 0x0 and payload_length 0x9 are "
                    "not inside its protected-mode kernel");
    /* 2.07 has no payload fields */
    stw_le_p(h + PVH_HDR_VERSION, 0x207);
    pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li);
    g_assert_cmpint(pvh_linux_payload(&li, &p), ==,
                    PVH_LINUX_NO_PAYLOAD_FIELDS);
}

static void test_packing(void)
{
    static const struct {
        uint8_t magic[PVH_LINUX_PACKING_MAGIC];
        PVHLinuxPacking packing;
        const char *name;
    } cases[] = {
        { { 0x1f, 0x8b, 8, 0, 0, 0 }, PVH_PACKING_GZIP, "gzip" },
        { { 0xfd, '7', 'z', 'X', 'Z', 0 }, PVH_PACKING_XZ, "XZ" },
        { { 0xfd, '7', 'z', 'X', 'Z', 1 }, PVH_PACKING_UNKNOWN, "unknown" },
        { { 0x28, 0xb5, 0x2f, 0xfd, 4, 0x88 }, PVH_PACKING_ZSTD, "ZSTD" },
        { { 'B', 'Z', 'h', '9', 0, 0 }, PVH_PACKING_BZIP2, "bzip2" },
        { { 0x5d, 0, 0, 0x80, 0, 0 }, PVH_PACKING_LZMA, "LZMA" },
        { { 0x89, 'L', 'Z', 'O', 0, 0 }, PVH_PACKING_LZO, "LZO" },
        { { 0x02, 0x21, 0x4c, 0x18, 0, 0 }, PVH_PACKING_LZ4, "LZ4" },
        { { 0x7f, 'E', 'L', 'F', 2, 1 }, PVH_PACKING_NONE, "uncompressed" },
        { { 0, 0, 0, 0, 0, 0 }, PVH_PACKING_UNKNOWN, "unknown" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        PVHLinuxPacking p = pvh_linux_packing(cases[i].magic);

        g_assert_cmpint(p, ==, cases[i].packing);
        g_assert_cmpstr(pvh_linux_packing_name(p), ==, cases[i].name);
    }
}

static void test_memtest(void)
{
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    PVHLinuxImage li;

    debian_header(h);
    stw_le_p(h + PVH_HDR_VERSION, 0x20c);
    h[PVH_HDR_RELOCATABLE] = 0;
    stl_le_p(h + PVH_HDR_INIT_SIZE, 0x6acf8);
    stl_le_p(h + PVH_HDR_SYSSIZE, 142784 / 16);
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li), ==,
                    PVH_LINUX_OK);
    g_assert_false(li.img.reloc);
    g_assert_cmphex(li.img.entry, ==, 0x100000);
    /* Its syssize rounds 142776 bytes up to 142784: read what there is */
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), 40 * 512 + 142776, &li),
                    ==, PVH_LINUX_OK);
    g_assert_cmphex(li.img.segments[0].filesz, ==, 142776);
    g_assert_cmphex(li.img.segments[0].memsz, ==, 0x6acf8);
}

typedef struct Case {
    const char *name;
    void (*apply)(uint8_t *h, uint64_t *size, size_t *len);
    PVHLinuxError want;
    const char *msg;
} Case;

static void no_magic(uint8_t *h, uint64_t *size, size_t *len)
{
    h[PVH_HDR_MAGIC] = 'X';
}

static void proto_201(uint8_t *h, uint64_t *size, size_t *len)
{
    stw_le_p(h + PVH_HDR_VERSION, 0x201);
}

static void zimage(uint8_t *h, uint64_t *size, size_t *len)
{
    h[PVH_HDR_LOADFLAGS] = 0;
}

static void ipxe(uint8_t *h, uint64_t *size, size_t *len)
{
    stw_le_p(h + PVH_HDR_VERSION, 0x207);
    stl_le_p(h + PVH_HDR_CODE32_START, 0);
}

static void short_file(uint8_t *h, uint64_t *size, size_t *len)
{
    *len = 0x220;
    *size = 0x220;
}

static void short_header(uint8_t *h, uint64_t *size, size_t *len)
{
    h[PVH_HDR_JUMP + 1] = 2;        /* ends at 0x204: not even the magic */
}

static void setup_past_eof(uint8_t *h, uint64_t *size, size_t *len)
{
    h[PVH_HDR_SETUP_SECTS] = 255;
    *size = 0x10000;
}

static void no_payload(uint8_t *h, uint64_t *size, size_t *len)
{
    stl_le_p(h + PVH_HDR_SYSSIZE, 0);
}

static void payload_past_eof(uint8_t *h, uint64_t *size, size_t *len)
{
    stl_le_p(h + PVH_HDR_SYSSIZE, FILE_SIZE / 16);
}

static void payload_short_16(uint8_t *h, uint64_t *size, size_t *len)
{
    *size = 40 * 512 + 4080;    /* 16 bytes short of 4096 */
    stl_le_p(h + PVH_HDR_SYSSIZE, 0x100);
}

static void bad_align(uint8_t *h, uint64_t *size, size_t *len)
{
    stl_le_p(h + PVH_HDR_KERNEL_ALIGNMENT, 0x300000);
}

static void above_4g(uint8_t *h, uint64_t *size, size_t *len)
{
    stq_le_p(h + PVH_HDR_PREF_ADDRESS, 0xfff00000);
}

static const Case cases[] = {
    { "not-bzimage", no_magic, PVH_LINUX_NOT_BZIMAGE, "no \"HdrS\"" },
    { "protocol-2.01", proto_201, PVH_LINUX_OLD_PROTOCOL,
      "boot protocol 2.01 is older than 2.02" },
    { "zimage", zimage, PVH_LINUX_LOADED_LOW, "a zImage" },
    { "ipxe-code32-0", ipxe, PVH_LINUX_NO_32BIT_ENTRY,
      "code32_start is 0x0, not 0x100000" },
    { "short-file", short_file, PVH_LINUX_TRUNCATED,
      "file of 544 bytes ends inside its setup header" },
    { "short-header", short_header, PVH_LINUX_SHORT_HEADER,
      "setup header ends at 0x204 (its jump at 0x200), before the end of "
      "its protocol 2.15's fields at 0x264" },
    { "setup-past-eof", setup_past_eof, PVH_LINUX_SETUP_PAST_EOF,
      "setup_sects gives 131072 bytes of setup code, the file has 65536" },
    { "no-payload", no_payload, PVH_LINUX_NO_PAYLOAD, "syssize is 0" },
    { "payload-past-eof", payload_past_eof, PVH_LINUX_PAYLOAD_PAST_EOF,
      "syssize gives a 8388608-byte kernel, the file has 8368128" },
    { "payload-16-bytes-short", payload_short_16, PVH_LINUX_PAYLOAD_PAST_EOF,
      "syssize gives a 4096-byte kernel, the file has 4080" },
    { "bad-alignment", bad_align, PVH_LINUX_BAD_ALIGNMENT,
      "kernel_alignment 0x300000, not a power of two" },
    { "above-4g", above_4g, PVH_LINUX_ABOVE_4G, "ends above 4 GiB" },
};

static void test_case(gconstpointer data)
{
    const Case *c = data;
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    uint64_t size = FILE_SIZE;
    size_t len = sizeof(h);
    PVHLinuxImage li;
    PVHLinuxError err;
    g_autofree char *msg = NULL;

    debian_header(h);
    c->apply(h, &size, &len);
    err = pvh_linux_parse(h, len, size, &li);
    g_assert_cmpint(err, ==, c->want);
    g_assert_cmpint(pvh_linux_needs_firmware(err), ==,
                    c->want == PVH_LINUX_OLD_PROTOCOL ||
                    c->want == PVH_LINUX_LOADED_LOW ||
                    c->want == PVH_LINUX_NO_32BIT_ENTRY);
    msg = pvh_linux_describe(err, &li);
    if (!strstr(msg, c->msg)) {
        g_test_message("got: %s", msg);
    }
    g_assert_nonnull(strstr(msg, c->msg));
}

/* The header is copied up to its end, capped at the end of the struct */
static void test_header_past_setup(void)
{
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    PVHLinuxImage li;

    debian_header(h);
    h[PVH_HDR_SETUP_SECTS] = 0;
    /* 0x202 + 0xff, capped at 0x290: fits in 4 sectors */
    h[PVH_HDR_JUMP + 1] = 0xff;
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li), ==,
                    PVH_LINUX_OK);
    g_assert_cmphex(li.header_end, ==, PVH_LINUX_HEADER_BYTES);
}

static PVHRange e820[200];

static unsigned make_e820(unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        e820[i] = (PVHRange) { 0x100000ULL * i, 0x80000,
                               i % 2 ? PVH_E820_RESERVED : PVH_E820_RAM };
    }
    return n;
}

static void test_write(gconstpointer data)
{
    unsigned protocol = GPOINTER_TO_UINT(data);
    uint8_t h[PVH_LINUX_HEADER_BYTES];
    PVHLinuxImage li;
    PVHLinuxPlace p = {
        .info = 0x10000, .base = 0x1200000, .cmdline = 0x20000,
        .initrd = 0x1f000000, .initrd_size = 0x123456, .rsdp = 0x1ffe0000,
    };
    unsigned n = make_e820(protocol >= 0x20e ? 5 : 200);
    static const uint8_t dtb[] = { 0xd0, 0x0d, 0xfe, 0xed, 1, 2, 3 };
    uint64_t size = pvh_linux_info_size(n, sizeof(dtb));
    g_autofree uint8_t *out = g_malloc(size);
    uint8_t *sd;
    unsigned i;

    debian_header(h);
    stw_le_p(h + PVH_HDR_VERSION, protocol);
    stq_le_p(h + PVH_HDR_SETUP_DATA, 0xdeadbeef);   /* the image's: ignored */
    h[PVH_BP_E820_ENTRIES] = 0x55;                  /* not in the header */
    g_assert_cmpint(pvh_linux_parse(h, sizeof(h), FILE_SIZE, &li), ==,
                    PVH_LINUX_OK);
    memset(out, 0xaa, size);
    pvh_linux_write_info(&li, &p, e820, n, dtb, sizeof(dtb), out);

    /* Zero outside the setup header but for what the loader fills */
    for (i = 0; i < PVH_BP_HDR; i++) {
        if (i >= PVH_BP_ACPI_RSDP_ADDR && i < PVH_BP_ACPI_RSDP_ADDR + 8) {
            continue;
        }
        if (i == PVH_BP_E820_ENTRIES) {
            continue;
        }
        g_assert_cmpuint(out[i], ==, 0);
    }
    g_assert_cmpuint(out[PVH_HDR_SETUP_SECTS], ==, 39);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_MAGIC), ==, PVH_LINUX_MAGIC);
    g_assert_cmphex(lduw_le_p(out + PVH_HDR_VERSION), ==, protocol);
    g_assert_cmphex(out[PVH_HDR_TYPE_OF_LOADER], ==, 0xb0);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_CODE32_START), ==, 0x1200000);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_CMD_LINE_PTR), ==, 0x20000);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_RAMDISK_IMAGE), ==, 0x1f000000);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_RAMDISK_SIZE), ==, 0x123456);
    g_assert_cmphex(ldl_le_p(out + PVH_BP_EXT_RAMDISK_IMAGE), ==, 0);
    g_assert_cmphex(ldl_le_p(out + PVH_HDR_CMDLINE_SIZE), ==, 2047);
    g_assert_cmphex(ldq_le_p(out + PVH_BP_ACPI_RSDP_ADDR), ==,
                    protocol >= 0x20e ? 0x1ffe0000 : 0);
    /* Past the header's end: zero */
    g_assert_cmpuint(out[0x26c], ==, 0);
    g_assert_cmpuint(out[PVH_BP_E820_ENTRIES], ==, MIN(n, 128));
    for (i = 0; i < MIN(n, 128); i++) {
        const uint8_t *e = out + PVH_BP_E820_TABLE + 20 * i;

        g_assert_cmphex(ldq_le_p(e), ==, e820[i].addr);
        g_assert_cmphex(ldq_le_p(e + 8), ==, e820[i].size);
        g_assert_cmphex(ldl_le_p(e + 16), ==, e820[i].type);
    }
    /* The GDT: __BOOT_CS and __BOOT_DS flat, a busy TSS */
    g_assert_cmphex(ldq_le_p(out + PVH_LINUX_INFO_GDT), ==, 0);
    g_assert_cmphex(ldq_le_p(out + PVH_LINUX_INFO_GDT + 0x10), ==,
                    0x00cf9b000000ffffULL);
    g_assert_cmphex(ldq_le_p(out + PVH_LINUX_INFO_GDT + 0x18), ==,
                    0x00cf93000000ffffULL);
    g_assert_cmphex(ldq_le_p(out + PVH_LINUX_INFO_GDT + 0x20), ==,
                    0x00008b0000000067ULL);

    /* setup_data: E820_EXT past 128 entries, then the dtb */
    sd = out + PVH_LINUX_INFO_SETUP_DATA;
    g_assert_cmphex(ldq_le_p(out + PVH_HDR_SETUP_DATA), ==,
                    p.info + PVH_LINUX_INFO_SETUP_DATA);
    if (n > 128) {
        g_assert_cmpuint(ldl_le_p(sd + 8), ==, PVH_SETUP_E820_EXT);
        g_assert_cmpuint(ldl_le_p(sd + 12), ==, (n - 128) * 20);
        for (i = 128; i < n; i++) {
            const uint8_t *e = sd + 16 + 20 * (i - 128);

            g_assert_cmphex(ldq_le_p(e), ==, e820[i].addr);
            g_assert_cmphex(ldl_le_p(e + 16), ==, e820[i].type);
        }
        g_assert_cmphex(ldq_le_p(sd), !=, 0);
        sd = out + (ldq_le_p(sd) - p.info);
    }
    g_assert_cmpuint(ldl_le_p(sd + 8), ==, PVH_SETUP_DTB);
    g_assert_cmpuint(ldl_le_p(sd + 12), ==, sizeof(dtb));
    g_assert_cmpmem(sd + 16, sizeof(dtb), dtb, sizeof(dtb));
    g_assert_cmphex(ldq_le_p(sd), ==, 0);
    g_assert_true(sd + 16 + sizeof(dtb) <= out + size);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/linux-header/parse/debian", test_debian);
    g_test_add_func("/linux-header/parse/memtest", test_memtest);
    g_test_add_func("/linux-header/payload/where", test_payload);
    g_test_add_func("/linux-header/payload/packing", test_packing);
    g_test_add_func("/linux-header/parse/header-capped",
                    test_header_past_setup);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *path = g_strdup_printf("/linux-header/parse/%s",
                                                cases[i].name);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_data_func("/linux-header/write/2.15",
                         GUINT_TO_POINTER(0x20f), test_write);
    g_test_add_data_func("/linux-header/write/2.12-e820-ext",
                         GUINT_TO_POINTER(0x20c), test_write);
    return g_test_run();
}
