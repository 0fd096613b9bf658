/*
 * Unit tests for the host-side ACPI table-loader interpreter: a script
 * shaped like QEMU's (RSDP -> RSDT -> table, checksums) and one case per
 * malformed command.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/table-loader.h"

#define AREA 0x7ffe0000ULL

typedef struct Script {
    uint8_t cmd[16][PVH_LINKER_CMD_SIZE];
    unsigned n;
} Script;

static uint8_t *cmd_new(Script *s, uint32_t type, const char *f1)
{
    uint8_t *c = s->cmd[s->n++];

    memset(c, 0, PVH_LINKER_CMD_SIZE);
    stl_le_p(c, type);
    g_strlcpy((char *)c + 4, f1, PVH_LINKER_FILESZ);
    return c;
}

static void allocate(Script *s, const char *f, uint32_t align, uint8_t zone)
{
    uint8_t *c = cmd_new(s, 1, f);

    stl_le_p(c + 60, align);
    c[64] = zone;
}

static void add_pointer(Script *s, const char *dst, const char *src,
                        uint32_t off, uint8_t size)
{
    uint8_t *c = cmd_new(s, 2, dst);

    g_strlcpy((char *)c + 60, src, PVH_LINKER_FILESZ);
    stl_le_p(c + 116, off);
    c[120] = size;
}

static void add_checksum(Script *s, const char *f, uint32_t off,
                         uint32_t start, uint32_t len)
{
    uint8_t *c = cmd_new(s, 3, f);

    stl_le_p(c + 60, off);
    stl_le_p(c + 64, start);
    stl_le_p(c + 68, len);
}

static void write_pointer(Script *s, const char *dst, const char *src,
                          uint32_t dst_off, uint32_t src_off, uint8_t size)
{
    uint8_t *c = cmd_new(s, 4, dst);

    g_strlcpy((char *)c + 60, src, PVH_LINKER_FILESZ);
    stl_le_p(c + 116, dst_off);
    stl_le_p(c + 120, src_off);
    c[124] = size;
}

typedef struct Fixture {
    uint8_t tables[0x300];      /* RSDT at 0, a table at 0x100 */
    uint8_t rsdp[20];
    PVHAcpiFile files[2];
    PVHAcpiLinker l;
    Script s;
} Fixture;

static void fixture_init(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    memcpy(f->rsdp, "RSD PTR ", 8);
    memcpy(f->tables, "RSDT", 4);
    stl_le_p(f->tables + 4, 40);
    stl_le_p(f->tables + 36, 0x100);        /* entry: offset of the table */
    memcpy(f->tables + 0x100, "APIC", 4);
    stl_le_p(f->tables + 0x104, 0x40);
    f->files[0] = (PVHAcpiFile) { "etc/acpi/tables", f->tables,
                                  sizeof(f->tables), 0, 0 };
    f->files[1] = (PVHAcpiFile) { "etc/acpi/rsdp", f->rsdp,
                                  sizeof(f->rsdp), 0, 0 };
    f->l = (PVHAcpiLinker) { .files = f->files, .nr_files = 2,
                             .base = AREA, .size = 0x10000 };
    /* What QEMU emits, in its order */
    allocate(&f->s, "etc/acpi/tables", 64, 1);
    add_pointer(&f->s, "etc/acpi/tables", "etc/acpi/tables", 36, 4);
    add_checksum(&f->s, "etc/acpi/tables", 0x10a, 0x100, 0x40);
    add_checksum(&f->s, "etc/acpi/tables", 9, 0, 40);
    allocate(&f->s, "etc/acpi/rsdp", 16, 2);
    add_pointer(&f->s, "etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
    add_checksum(&f->s, "etc/acpi/rsdp", 8, 0, 20);
}

static PVHAcpiError run(Fixture *f)
{
    g_autofree uint8_t *copy = g_memdup2(f->s.cmd,
                                         f->s.n * PVH_LINKER_CMD_SIZE);

    return pvh_table_loader_link(&f->l, copy, f->s.n * PVH_LINKER_CMD_SIZE);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

static void test_qemu_like(void)
{
    Fixture f;

    fixture_init(&f);
    g_assert_cmpint(run(&f), ==, PVH_ACPI_OK);
    g_assert_cmphex(f.files[0].addr, ==, AREA);
    g_assert_cmphex(f.files[1].addr, ==, AREA + 0x300);
    g_assert_cmphex(ldl_le_p(f.tables + 36), ==, AREA + 0x100);
    g_assert_cmphex(ldl_le_p(f.rsdp + 16), ==, AREA);
    g_assert_cmpuint(sum(f.tables, 40), ==, 0);
    g_assert_cmpuint(sum(f.tables + 0x100, 0x40), ==, 0);
    g_assert_cmpuint(sum(f.rsdp, 20), ==, 0);
}

static uint64_t wp_value;

static bool wp_accept(void *opaque, const char *dest, uint32_t off,
                      uint8_t size, uint64_t value)
{
    g_assert_cmpstr(dest, ==, "etc/vmgenid_addr");
    g_assert_cmpuint(off, ==, 0);
    g_assert_cmpuint(size, ==, 8);
    wp_value = value;
    return true;
}

static void test_write_pointer(void)
{
    Fixture f;

    fixture_init(&f);
    write_pointer(&f.s, "etc/vmgenid_addr", "etc/acpi/tables", 0, 0x28, 8);
    f.l.write_pointer = wp_accept;
    g_assert_cmpint(run(&f), ==, PVH_ACPI_OK);
    g_assert_cmphex(wp_value, ==, AREA + 0x28);
    f.l.write_pointer = NULL;
    f.files[0].addr = f.files[1].addr = 0;
    g_assert_cmpint(run(&f), ==, PVH_ACPI_WRITE_POINTER_FAILED);
}

typedef struct LinkerCase {
    const char *name;
    void (*mutate)(Fixture *f);
    PVHAcpiError expect;
} LinkerCase;

#define DATA_END pvh_table_loader_data_end
#define EXTENT pvh_table_loader_extent
#define CMD(f, i) ((f)->s.cmd[i])
static void m_unknown_file(Fixture *f)
{
    g_strlcpy((char *)CMD(f, 0) + 4, "etc/nope", 56);
}

static void m_no_nul(Fixture *f) { memset(CMD(f, 0) + 4, 'a', 56); }
static void m_no_nul_src(Fixture *f) { memset(CMD(f, 1) + 60, 'a', 56); }
static void m_align_zero(Fixture *f)
{
    stl_le_p(CMD(f, 0) + 60, 0);
}

static void m_align_3(Fixture *f) { stl_le_p(CMD(f, 0) + 60, 3); }
static void m_align_huge(Fixture *f) { stl_le_p(CMD(f, 0) + 60, 1u << 31); }
static void m_zone(Fixture *f) { CMD(f, 0)[64] = 7; }
static void m_zero_size(Fixture *f)
{
    f->files[1].size = 0;
}

static void m_oversized(Fixture *f) { f->l.size = 0x200; }
static void m_twice(Fixture *f) { memcpy(CMD(f, 4), CMD(f, 0), 128); }
static void m_before_alloc(Fixture *f) { memcpy(CMD(f, 0), CMD(f, 5), 128); }
static void m_ptr_size(Fixture *f) { CMD(f, 1)[120] = 3; }
static void m_ptr_offset(Fixture *f) { stl_le_p(CMD(f, 1) + 116, 0x2fe); }
static void m_ptr_offset_huge(Fixture *f)
{
    stl_le_p(CMD(f, 1) + 116, UINT32_MAX);
}

static void m_ptr_overflow(Fixture *f) { CMD(f, 1)[120] = 2; }
static void m_ck_offset(Fixture *f) { stl_le_p(CMD(f, 3) + 60, 0x300); }
static void m_ck_range(Fixture *f) { stl_le_p(CMD(f, 3) + 68, 0x301); }
static void m_ck_wrap(Fixture *f)
{
    stl_le_p(CMD(f, 3) + 64, UINT32_MAX);
    stl_le_p(CMD(f, 3) + 68, 2);
}

static const LinkerCase linker_cases[] = {
    { "unknown-file", m_unknown_file, PVH_ACPI_UNKNOWN_FILE },
    { "name-without-nul", m_no_nul, PVH_ACPI_BAD_NAME },
    { "src-name-without-nul", m_no_nul_src, PVH_ACPI_BAD_NAME },
    { "align-zero", m_align_zero, PVH_ACPI_BAD_ALIGN },
    { "align-not-power-of-2", m_align_3, PVH_ACPI_BAD_ALIGN },
    { "align-huge", m_align_huge, PVH_ACPI_BAD_ALIGN },
    { "bad-zone", m_zone, PVH_ACPI_BAD_ZONE },
    { "zero-size-allocation", m_zero_size, PVH_ACPI_EMPTY_FILE },
    { "oversized-allocation", m_oversized, PVH_ACPI_NO_ROOM },
    { "allocated-twice", m_twice, PVH_ACPI_ALLOCATED_TWICE },
    { "used-before-allocation", m_before_alloc, PVH_ACPI_NOT_ALLOCATED },
    { "pointer-size-3", m_ptr_size, PVH_ACPI_BAD_SIZE },
    { "pointer-out-of-bounds", m_ptr_offset, PVH_ACPI_POINTER_OUT_OF_BOUNDS },
    { "pointer-offset-huge", m_ptr_offset_huge,
      PVH_ACPI_POINTER_OUT_OF_BOUNDS },
    { "pointer-overflows-size", m_ptr_overflow, PVH_ACPI_POINTER_OVERFLOW },
    { "checksum-offset-out-of-bounds", m_ck_offset,
      PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS },
    { "checksum-range-out-of-bounds", m_ck_range,
      PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS },
    { "checksum-range-wraps", m_ck_wrap, PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS },
};

static void test_malformed(const void *opaque)
{
    const LinkerCase *c = opaque;
    g_autofree char *msg = NULL;
    Fixture f;

    fixture_init(&f);
    c->mutate(&f);
    g_assert_cmpint(run(&f), ==, c->expect);
    msg = pvh_table_loader_describe(c->expect, &f.l);
    g_assert_true(g_str_has_prefix(msg, "ACPI linker command "));
}

/* Zero padding and unknown command types are skipped, as firmware does */
static void test_skips_unknown(void)
{
    Fixture f;

    fixture_init(&f);
    cmd_new(&f.s, 0, "");
    cmd_new(&f.s, 9, "etc/acpi/tables");
    g_assert_cmpint(run(&f), ==, PVH_ACPI_OK);
    g_assert_cmpuint(f.l.skipped, ==, 2);
    g_assert_cmpuint(sum(f.rsdp, 20), ==, 0);
}

static void test_bad_length(void)
{
    Fixture f;

    fixture_init(&f);
    g_assert_cmpint(pvh_table_loader_link(&f.l, f.s.cmd[0], 100), ==,
                    PVH_ACPI_BAD_LENGTH);
}

/*
 * Linked tables as QEMU's look: an XSDT (or RSDT) at 0x1000 listing the
 * FADT at 0x1100, whose FIRMWARE_CTRL points at the FACS at 0x1200; the
 * RSDP at 0x2000 in a file of its own.
 */
typedef struct FacsFixture {
    uint8_t tables[0x400];
    uint8_t rsdp[36];
    PVHAcpiFile files[2];
} FacsFixture;

static void facs_fixture(FacsFixture *f, bool xsdt)
{
    memset(f, 0, sizeof(*f));
    memcpy(f->tables, xsdt ? "XSDT" : "RSDT", 4);
    stl_le_p(f->tables + 4, 36 + (xsdt ? 8 : 4));
    if (xsdt) {
        stq_le_p(f->tables + 36, 0x1100);
    } else {
        stl_le_p(f->tables + 36, 0x1100);
    }
    memcpy(f->tables + 0x100, "FACP", 4);
    stl_le_p(f->tables + 0x104, 244);
    stl_le_p(f->tables + 0x100 + 36, 0x1200);
    memcpy(f->tables + 0x200, "FACS", 4);
    stl_le_p(f->tables + 0x204, 64);
    memcpy(f->rsdp, "RSD PTR ", 8);
    f->rsdp[15] = xsdt ? 2 : 0;
    stl_le_p(f->rsdp + 16, xsdt ? 0 : 0x1000);
    stq_le_p(f->rsdp + 24, xsdt ? 0x1000 : 0);
    f->files[0] = (PVHAcpiFile) { "etc/acpi/tables", f->tables,
                                  sizeof(f->tables), 0x1000, 0 };
    f->files[1] = (PVHAcpiFile) { "etc/acpi/rsdp", f->rsdp,
                                  sizeof(f->rsdp), 0x2000, 0 };
}

/* The S3 wakeup path finds the FACS, and nothing outside the tables */
static void test_find_facs(void)
{
    FacsFixture f;

    facs_fixture(&f, true);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0x1200);
    facs_fixture(&f, false);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0x1200);
    /* X_FIRMWARE_CTRL wins over FIRMWARE_CTRL, if set and valid */
    facs_fixture(&f, true);
    memcpy(f.tables + 0x300, "FACS", 4);
    stq_le_p(f.tables + 0x100 + 132, 0x1300);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0x1300);
    /* Pointers that leave the tables, or lengths that do */
    facs_fixture(&f, true);
    stl_le_p(f.tables + 0x100 + 36, 0x13f0);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0);
    facs_fixture(&f, true);
    stl_le_p(f.tables + 4, 0xffffffff);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0);
    facs_fixture(&f, true);
    stl_le_p(f.tables + 0x104, 0x10000);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0);
    facs_fixture(&f, true);
    memcpy(f.tables + 0x200, "XXXX", 4);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2000), ==, 0);
    facs_fixture(&f, true);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x2008), ==, 0);
    g_assert_cmphex(pvh_table_loader_find_facs(f.files, 2, 0x23f0), ==, 0);
}

/* The zero padding QEMU gives etc/acpi/tables is not part of the data */
static void test_data_end(void)
{
    uint8_t buf[64] = { 0 };
    size_t i;

    g_assert_cmpuint(pvh_table_loader_data_end(buf, 0), ==, 0);
    g_assert_cmpuint(pvh_table_loader_data_end(buf, sizeof(buf)), ==, 0);
    g_assert_cmpuint(pvh_table_loader_data_end(buf, 13), ==, 0);
    /* Every position of the last nonzero byte, whole and odd sizes */
    for (i = 0; i < sizeof(buf); i++) {
        memset(buf, 0, sizeof(buf));
        buf[i] = 0x80;
        g_assert_cmpuint(DATA_END(buf, sizeof(buf)), ==, i + 1);
        g_assert_cmpuint(DATA_END(buf, 61), ==, i < 61 ? i + 1 : 0);
        g_assert_cmpuint(DATA_END(buf, i + 1), ==, i + 1);
        buf[0] = 1;
        g_assert_cmpuint(DATA_END(buf, sizeof(buf)), ==, i + 1);
    }
    memset(buf, 0xff, sizeof(buf));
    g_assert_cmpuint(DATA_END(buf, sizeof(buf)), ==, sizeof(buf));
}

/*
 * The extent of the script in each file, and a copy of the tables cut
 * to max(data end, extent) with the rest as room: it links to the same
 * addresses and bytes as the whole file, whose rest stays zero.
 */
static void test_extent(void)
{
    Fixture f, cut;
    const uint8_t *cmd;
    uint64_t keep;
    size_t len;

    fixture_init(&f);
    len = f.s.n * PVH_LINKER_CMD_SIZE;
    cmd = (const uint8_t *)f.s.cmd;
    g_assert_cmpuint(EXTENT(cmd, len, "etc/acpi/tables"), ==, 0x140);
    g_assert_cmpuint(EXTENT(cmd, len, "etc/acpi/rsdp"), ==, 20);
    g_assert_cmpuint(EXTENT(cmd, len, "etc/none"), ==, 0);
    /* A command cut short is not read */
    g_assert_cmpuint(EXTENT(cmd, 3 * PVH_LINKER_CMD_SIZE - 1,
                            "etc/acpi/tables"), ==, 40);
    keep = MAX(DATA_END(f.tables, sizeof(f.tables)),
               EXTENT(cmd, len, "etc/acpi/tables"));
    g_assert_cmpuint(keep, ==, 0x140);

    fixture_init(&cut);
    cut.files[0].size = keep;
    cut.files[0].room = sizeof(cut.tables);
    g_assert_cmpint(run(&f), ==, PVH_ACPI_OK);
    g_assert_cmpint(run(&cut), ==, PVH_ACPI_OK);
    g_assert_cmphex(cut.files[1].addr, ==, f.files[1].addr);
    g_assert_cmpuint(cut.l.used, ==, f.l.used);
    g_assert_cmpmem(cut.tables, keep, f.tables, keep);
    g_assert_cmpmem(cut.rsdp, sizeof(cut.rsdp), f.rsdp, sizeof(f.rsdp));
    g_assert_cmpuint(DATA_END(f.tables, sizeof(f.tables)), <=, keep);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/table-loader/qemu-like", test_qemu_like);
    g_test_add_func("/table-loader/write-pointer", test_write_pointer);
    g_test_add_func("/table-loader/bad-length", test_bad_length);
    g_test_add_func("/table-loader/skips-unknown", test_skips_unknown);
    g_test_add_func("/table-loader/find-facs", test_find_facs);
    g_test_add_func("/table-loader/data-end", test_data_end);
    g_test_add_func("/table-loader/extent", test_extent);
    for (i = 0; i < G_N_ELEMENTS(linker_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/table-loader/malformed/%s", linker_cases[i].name);

        g_test_add_data_func(path, &linker_cases[i], test_malformed);
    }
    return g_test_run();
}
