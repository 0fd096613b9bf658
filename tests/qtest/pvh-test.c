/*
 * QTest for direct kernel boot (no firmware)
 *
 * With -accel qtest no guest instruction runs, yet after machine init
 * and the first reset guest RAM and the boot CPU's registers hold what
 * the boot protocol promises.  Each PVH case writes a small PVH ELF
 * kernel, boots it and checks start_info, the memory map, the command
 * line, the initrd and the registers; each bzImage case does the same
 * with boot_params and the Linux 32-bit boot protocol's entry state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "hw/pci/pci_regs.h"
#include "qobject/qdict.h"
#include "libqtest.h"

#define KERNEL_PADDR    0x100000
#define KERNEL_ENTRY    0x100010
#define KERNEL_MEMSZ    0x3000
#define START_INFO      0x6000
#define ACPI_AREA       0x28000
#define ACPI_END        0x200000    /* the tables end the low area */

static const uint8_t kernel_code[] = { 0xf4, 0xeb, 0xfd };   /* hlt; jmp */

typedef struct PVHTestKernel {
    bool is64;
    uint32_t descsz;
} PVHTestKernel;

/* An ELF image with one PT_LOAD (code, then bss) and one PT_NOTE. */
static char *write_kernel(const PVHTestKernel *k)
{
    uint8_t buf[0x1000] = { 0 };
    size_t ehsz = k->is64 ? 64 : 52, phsz = k->is64 ? 56 : 32;
    size_t phoff = ehsz, note = 0x200, code = 0x400;
    size_t notesz = 12 + 4 + k->descsz;
    uint8_t *ph = buf + phoff;
    char *path = NULL;
    int fd = g_file_open_tmp("pvh-test-XXXXXX", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    memcpy(buf, "\177ELF", 4);
    buf[4] = k->is64 ? 2 : 1;
    buf[5] = 1;
    buf[6] = 1;
    stw_le_p(buf + 16, 2);
    stw_le_p(buf + 18, k->is64 ? 62 : 3);
    stl_le_p(buf + 20, 1);
    if (k->is64) {
        stq_le_p(buf + 32, phoff);
        stw_le_p(buf + 52, ehsz);
        stw_le_p(buf + 54, phsz);
        stw_le_p(buf + 56, 2);
        stl_le_p(ph, 1);
        stq_le_p(ph + 8, code);
        stq_le_p(ph + 16, KERNEL_PADDR);
        stq_le_p(ph + 24, KERNEL_PADDR);
        stq_le_p(ph + 32, sizeof(kernel_code) + 0x10);
        stq_le_p(ph + 40, KERNEL_MEMSZ);
        stl_le_p(ph + phsz, 4);
        stq_le_p(ph + phsz + 8, note);
        stq_le_p(ph + phsz + 32, notesz);
        stq_le_p(ph + phsz + 40, notesz);
    } else {
        stl_le_p(buf + 28, phoff);
        stw_le_p(buf + 40, ehsz);
        stw_le_p(buf + 42, phsz);
        stw_le_p(buf + 44, 2);
        stl_le_p(ph, 1);
        stl_le_p(ph + 4, code);
        stl_le_p(ph + 8, KERNEL_PADDR);
        stl_le_p(ph + 12, KERNEL_PADDR);
        stl_le_p(ph + 16, sizeof(kernel_code) + 0x10);
        stl_le_p(ph + 20, KERNEL_MEMSZ);
        stl_le_p(ph + phsz, 4);
        stl_le_p(ph + phsz + 4, note);
        stl_le_p(ph + phsz + 16, notesz);
        stl_le_p(ph + phsz + 20, notesz);
    }
    stl_le_p(buf + note, 4);
    stl_le_p(buf + note + 4, k->descsz);
    stl_le_p(buf + note + 8, 18);
    memcpy(buf + note + 12, "Xen", 4);
    stl_le_p(buf + note + 16, KERNEL_ENTRY);
    memcpy(buf + code + 0x10, kernel_code, sizeof(kernel_code));
    g_assert_cmpint(write(fd, buf, sizeof(buf)), ==, sizeof(buf));
    close(fd);
    return path;
}

static char *write_initrd(size_t size)
{
    g_autofree uint8_t *data = g_malloc(size);
    char *path = NULL;
    int fd = g_file_open_tmp("pvh-initrd-XXXXXX", &path, NULL);
    size_t i;

    g_assert_cmpint(fd, >=, 0);
    for (i = 0; i < size; i++) {
        data[i] = i * 7 + 3;
    }
    g_assert_cmpint(write(fd, data, size), ==, size);
    close(fd);
    return path;
}

/* The value of register @name in "info registers", e.g. "EIP=" */
static uint64_t reg(const char *regs, const char *name)
{
    const char *p = strstr(regs, name);

    g_assert_nonnull(p);
    return g_ascii_strtoull(p + strlen(name), NULL, 16);
}

static void check_cpu(QTestState *qts, uint32_t start_info)
{
    g_autofree char *regs = qtest_hmp(qts, "info registers");
    const char *cs = strstr(regs, "CS =");
    const char *tr = strstr(regs, "TR =");

    g_assert_cmphex(reg(regs, "EIP="), ==, KERNEL_ENTRY);
    g_assert_cmphex(reg(regs, "EBX="), ==, start_info);
    g_assert_cmphex(reg(regs, "EFL="), ==, 0x2);
    g_assert_cmphex(reg(regs, "CR0="), ==, 0x11);
    g_assert_cmphex(reg(regs, "CR4="), ==, 0);
    g_assert_cmphex(reg(regs, "EFER="), ==, 0);
    /* "CS =0008 00000000 ffffffff 00c09b00 DPL=0 CS32 [-RA]" */
    g_assert_nonnull(cs);
    g_assert_true(g_str_has_prefix(cs, "CS =0008 00000000 ffffffff 00c09b00"));
    g_assert_true(g_str_has_prefix(strstr(regs, "DS ="),
                                   "DS =0010 00000000 ffffffff 00c09300"));
    g_assert_true(g_str_has_prefix(strstr(regs, "SS ="),
                                   "SS =0010 00000000 ffffffff 00c09300"));
    g_assert_true(g_str_has_prefix(strstr(regs, "ES ="),
                                   "ES =0010 00000000 ffffffff 00c09300"));
    g_assert_nonnull(tr);
    g_assert_true(g_str_has_prefix(tr, "TR =0018 00000000 00000067 00008b00"));
}

typedef struct MemmapEntry {
    uint64_t addr, size;
    uint32_t type;
} MemmapEntry;

static void check_memmap(QTestState *qts, uint64_t paddr, uint32_t n,
                         uint64_t ram)
{
    /* The 160 KiB below 2 MiB hold the ACPI tables */
    const MemmapEntry expect[] = {
        { 0, 0xa0000, 1 },
        { 0xa0000, 0x60000, 2 },
        { 0x100000, ACPI_END - ACPI_AREA - 0x100000, 1 },
        { ACPI_END - ACPI_AREA, ACPI_AREA, 3 },
        { ACPI_END, ram - ACPI_END, 1 },
    };
    uint8_t e[24];
    uint32_t i;

    g_assert_cmpuint(n, >=, ARRAY_SIZE(expect));
    g_assert_cmpuint(n, <=, 127);
    for (i = 0; i < ARRAY_SIZE(expect); i++) {
        qtest_memread(qts, paddr + i * 24, e, sizeof(e));
        g_assert_cmphex(ldq_le_p(e), ==, expect[i].addr);
        g_assert_cmphex(ldq_le_p(e + 8), ==, expect[i].size);
        g_assert_cmpuint(ldl_le_p(e + 16), ==, expect[i].type);
        g_assert_cmpuint(ldl_le_p(e + 20), ==, 0);
    }
}

static uint8_t checksum(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;

    while (n--) {
        sum += *p++;
    }
    return sum;
}

/* The RSDP, and the RSDT and XSDT it points to, linked and summed */
static void check_acpi(QTestState *qts, uint64_t rsdp)
{
    uint8_t r[36], hdr[36];
    uint64_t tables[2];
    int i;

    g_assert_cmphex(rsdp, >=, ACPI_END - ACPI_AREA);
    g_assert_cmphex(rsdp + sizeof(r), <=, ACPI_END);
    qtest_memread(qts, rsdp, r, sizeof(r));
    g_assert_cmpmem(r, 8, "RSD PTR ", 8);
    g_assert_cmpuint(checksum(r, 20), ==, 0);
    tables[0] = ldl_le_p(r + 16);
    tables[1] = r[15] >= 2 ? ldq_le_p(r + 24) : 0;
    for (i = 0; i < 2; i++) {
        if (!tables[i]) {
            continue;
        }
        g_assert_cmphex(tables[i], >=, ACPI_END - ACPI_AREA);
        g_assert_cmphex(tables[i], <, ACPI_END);
        qtest_memread(qts, tables[i], hdr, sizeof(hdr));
        g_assert_cmpmem(hdr, 4, i ? "XSDT" : "RSDT", 4);
        {
            uint32_t len = ldl_le_p(hdr + 4);
            g_autofree uint8_t *t = g_malloc(len);

            g_assert_cmpuint(len, <, ACPI_AREA);
            qtest_memread(qts, tables[i], t, len);
            g_assert_cmpuint(checksum(t, len), ==, 0);
        }
    }
    g_assert_true(tables[0] || tables[1]);
}

/*
 * The guest address of the first table with signature @sig that the RSDP
 * at @rsdp leads to (through the XSDT, else the RSDT), and its length in
 * *@len; 0 if there is none.
 */
static uint64_t find_table(QTestState *qts, uint64_t rsdp, const char *sig,
                           uint32_t *len)
{
    uint8_t r[36], hdr[36];
    uint64_t sdt;
    uint32_t sdt_len, i;
    bool x;

    qtest_memread(qts, rsdp, r, sizeof(r));
    x = r[15] >= 2 && ldq_le_p(r + 24);
    sdt = x ? ldq_le_p(r + 24) : ldl_le_p(r + 16);
    qtest_memread(qts, sdt, hdr, sizeof(hdr));
    sdt_len = ldl_le_p(hdr + 4);
    for (i = 36; i < sdt_len; i += x ? 8 : 4) {
        uint64_t t = x ? qtest_readq(qts, sdt + i) : qtest_readl(qts, sdt + i);

        qtest_memread(qts, t, hdr, sizeof(hdr));
        if (!memcmp(hdr, sig, 4)) {
            *len = ldl_le_p(hdr + 4);
            return t;
        }
    }
    return 0;
}

/*
 * The FADT describes the PM registers where the platform put them (PIIX4
 * and ICH9 alike: PM base 0x600), as firmware's programming did: tables
 * built before the chipset was set up would say 0.
 */
static void check_fadt(QTestState *qts, uint64_t rsdp)
{
    uint32_t len;
    uint64_t fadt = find_table(qts, rsdp, "FACP", &len);

    g_assert_cmphex(fadt, !=, 0);
    g_assert_cmpuint(len, >=, 68);
    g_assert_cmphex(qtest_readl(qts, fadt + 56), ==, 0x600);   /* PM1a_EVT */
    g_assert_cmphex(qtest_readl(qts, fadt + 64), ==, 0x604);   /* PM1a_CNT */
}

static void check_kernel_image(QTestState *qts)
{
    uint8_t img[KERNEL_MEMSZ];
    size_t i;

    qtest_memread(qts, KERNEL_PADDR, img, sizeof(img));
    g_assert_cmpmem(img + 0x10, sizeof(kernel_code),
                    kernel_code, sizeof(kernel_code));
    for (i = 0x10 + sizeof(kernel_code) + 0x10; i < sizeof(img); i++) {
        g_assert_cmpuint(img[i], ==, 0);     /* bss */
    }
}

typedef struct PVHCase {
    const char *name;
    const char *machine;
    PVHTestKernel kernel;
    size_t cmdline_len;
    size_t initrd_size;
} PVHCase;

static void check_start_info(QTestState *qts, const PVHCase *c,
                             const char *cmdline, const char *initrd)
{
    uint8_t si[56], mod[32];
    uint64_t p;
    g_autofree char *got = g_malloc(c->cmdline_len + 1);

    qtest_memread(qts, START_INFO, si, sizeof(si));
    g_assert_cmphex(ldl_le_p(si), ==, 0x336ec578);
    g_assert_cmpuint(ldl_le_p(si + 4), ==, 1);
    g_assert_cmpuint(ldl_le_p(si + 8), ==, 0);
    g_assert_cmpuint(ldl_le_p(si + 12), ==, c->initrd_size ? 1 : 0);
    p = ldq_le_p(si + 24);
    g_assert_cmphex(p, !=, 0);
    g_assert_cmphex(p + c->cmdline_len, <, 1ULL << 32);
    qtest_memread(qts, p, got, c->cmdline_len + 1);
    g_assert_cmpmem(got, c->cmdline_len + 1, cmdline, c->cmdline_len + 1);
    check_memmap(qts, ldq_le_p(si + 40), ldl_le_p(si + 48), 128 * 1024 * 1024);
    check_acpi(qts, ldq_le_p(si + 32));
    check_fadt(qts, ldq_le_p(si + 32));
    if (c->initrd_size) {
        g_autofree uint8_t *want = NULL, *have = g_malloc(c->initrd_size);
        gsize len;

        g_assert_true(g_file_get_contents(initrd, (char **)&want, &len, NULL));
        p = ldq_le_p(si + 16);
        g_assert_cmphex(p, !=, 0);
        g_assert_cmphex(p, <, 1ULL << 30);
        qtest_memread(qts, p, mod, sizeof(mod));
        g_assert_cmpuint(ldq_le_p(mod + 8), ==, c->initrd_size);
        g_assert_cmphex(ldq_le_p(mod) % 4096, ==, 0);
        qtest_memread(qts, ldq_le_p(mod), have, c->initrd_size);
        g_assert_cmpmem(have, c->initrd_size, want, len);
    } else {
        g_assert_cmphex(ldq_le_p(si + 16), ==, 0);
    }
}

static void test_pvh_boot(const void *data)
{
    const PVHCase *c = data;
    g_autofree char *kernel = write_kernel(&c->kernel);
    g_autofree char *initrd = c->initrd_size ? write_initrd(c->initrd_size)
                                             : NULL;
    g_autofree char *cmdline = g_malloc(c->cmdline_len + 1);
    g_autofree char *initrd_arg = initrd ? g_strdup_printf("-initrd %s",
                                                           initrd)
                                         : g_strdup("");
    g_autofree char *append = NULL;
    QTestState *qts;
    size_t i;

    for (i = 0; i < c->cmdline_len; i++) {
        cmdline[i] = 'a' + i % 26;
    }
    cmdline[c->cmdline_len] = 0;
    append = g_strdup_printf("-append %s", c->cmdline_len ? cmdline : "''");
    qts = qtest_initf("-M %s -m 128M -kernel %s %s %s", c->machine, kernel,
                      initrd_arg, append);
    check_cpu(qts, START_INFO);
    check_start_info(qts, c, cmdline, initrd);
    check_kernel_image(qts);

    /* A reset restores the image, the bss and start_info. */
    qtest_memset(qts, KERNEL_PADDR, 0xcc, KERNEL_MEMSZ);
    qtest_memset(qts, START_INFO, 0xcc, 56);
    qtest_system_reset(qts);
    check_cpu(qts, START_INFO);
    check_start_info(qts, c, cmdline, initrd);
    check_kernel_image(qts);

    qtest_quit(qts);
    unlink(kernel);
    if (initrd) {
        unlink(initrd);
    }
}

/* The memmap entry of start_info at START_INFO that holds @addr */
static uint32_t memmap_type(QTestState *qts, uint64_t addr, uint64_t len)
{
    uint8_t si[56], e[24];
    uint32_t i, n;

    qtest_memread(qts, START_INFO, si, sizeof(si));
    n = ldl_le_p(si + 48);
    for (i = 0; i < n; i++) {
        uint64_t start, end;

        qtest_memread(qts, ldq_le_p(si + 40) + i * 24, e, sizeof(e));
        start = ldq_le_p(e);
        end = start + ldq_le_p(e + 8);
        if (addr >= start && addr + len <= end) {
            return ldl_le_p(e + 16);
        }
    }
    return 0;
}

/*
 * Where OSes without EFI look for the SMBIOS entry point and the RSDP:
 * 16-byte boundaries of the BIOS area.  Returns the offset of @anchor
 * in @bios, or -1.
 */
static int bios_scan(const uint8_t *bios, size_t size, const char *anchor)
{
    size_t i;

    for (i = 0; i + 16 <= size; i += 16) {
        if (!memcmp(bios + i, anchor, strlen(anchor))) {
            return i;
        }
    }
    return -1;
}

typedef struct SMBIOSCase {
    const char *name;
    const char *machine;
    unsigned oem_strings;       /* -smbios type=11 values of 250 bytes */
    const char *extra;          /* more options */
    const char *bios_vendor;    /* type 0's, if not QEMU's default */
    const char *bios_version;
} SMBIOSCase;

/* String @idx (from 1) of the structure at @off, or "" */
/* The base's x.y.0 release date: DMI's BIOS date on the direct path */
static const char *qemu_release_date(void)
{
    return QEMU_VERSION_MINOR == 0 ? "04/23/2025" : "12/23/2025";
}

static const char *smbios_string(const uint8_t *table, uint64_t len,
                                 uint64_t off, uint8_t idx)
{
    uint64_t s = off + table[off + 1];

    while (idx > 1 && s < len && table[s]) {
        s += strnlen((const char *)table + s, len - s) + 1;
        idx--;
    }
    return idx && s < len ? (const char *)table + s : "";
}

/*
 * The SMBIOS tables QEMU built reach the guest as firmware gave them:
 * the entry point in the F segment, the structure table in memory the
 * memmap keeps from the OS's RAM, every structure there up to the
 * end-of-table one.  Also with ACPI off, and larger than 16 KiB.  The
 * BIOS information (type 0), which firmware adds on its path, is QEMU's:
 * vendor QEMU, its version and release date, unless -smbios type=0 says.
 */
static void test_smbios(const void *data)
{
    const SMBIOSCase *c = data;
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autoptr(GString) args = g_string_new("");
    g_autofree uint8_t *bios = g_malloc(0x20000);
    g_autofree uint8_t *table = NULL;
    uint64_t addr, len, off = 0, type0 = UINT64_MAX;
    unsigned i, strings = 0;
    bool end = false;
    QTestState *qts;
    int ep;

    g_string_append_printf(args, "-M %s -m 128M -kernel %s %s", c->machine,
                            kernel, c->extra ? c->extra : "");
    for (i = 0; i < c->oem_strings; i++) {
        g_string_append_printf(args, " -smbios type=11,value=%0250u", i);
    }
    qts = qtest_init(args->str);

    qtest_memread(qts, 0xe0000, bios, 0x20000);
    /* SMBIOS 3 (64-bit) or 2.1 (32-bit) entry point, per machine type */
    ep = bios_scan(bios + 0x10000, 0x10000, "_SM3_");
    if (ep >= 0) {
        const uint8_t *e = bios + 0x10000 + ep;

        g_assert_cmpuint(checksum(e, e[6]), ==, 0);
        addr = ldq_le_p(e + 0x10);
        len = ldl_le_p(e + 0x0c);
    } else {
        const uint8_t *e;

        ep = bios_scan(bios + 0x10000, 0x10000, "_SM_");
        g_assert_cmpint(ep, >=, 0);
        e = bios + 0x10000 + ep;
        g_assert_cmpuint(checksum(e, e[5]), ==, 0);
        g_assert_cmpmem(e + 0x10, 5, "_DMI_", 5);
        addr = ldl_le_p(e + 0x18);
        len = lduw_le_p(e + 0x16);
    }
    g_assert_cmpuint(memmap_type(qts, addr, len), >, 1);
    table = g_malloc(len);
    qtest_memread(qts, addr, table, len);
    /* Structures: type, length, handle, fields, then strings until 0 0 */
    while (!end && off + 4 <= len) {
        uint8_t type = table[off];
        uint64_t s = off + table[off + 1];

        g_assert_cmpuint(table[off + 1], >=, 4);
        if (type == 0) {
            g_assert_cmpuint(type0, ==, UINT64_MAX);
            type0 = off;
        }
        while (s + 1 < len && (table[s] || table[s + 1])) {
            if (type == 11 && table[s] && (s == off + table[off + 1] ||
                                           !table[s - 1])) {
                strings++;
            }
            s++;
        }
        end = type == 127;
        off = s + 2;
    }
    g_assert_true(end);
    g_assert_cmpuint(strings, ==, c->oem_strings);
    g_assert_cmpuint(type0, <, len);
    g_assert_cmpstr(smbios_string(table, len, type0, table[type0 + 4]), ==,
                    c->bios_vendor ?: "QEMU");
    g_assert_cmpstr(smbios_string(table, len, type0, table[type0 + 5]), ==,
                    c->bios_version ?: QEMU_VERSION);
    g_assert_cmpstr(smbios_string(table, len, type0, table[type0 + 8]), ==,
                    qemu_release_date());
    if (!strstr(c->machine, "acpi=off")) {
        /* The RSDP also where OSes that ignore rsdp_paddr scan for it */
        int r = bios_scan(bios, 0x20000, "RSD PTR ");
        uint8_t si[56], rsdp[36];

        g_assert_cmpint(r, >=, 0);
        qtest_memread(qts, START_INFO, si, sizeof(si));
        qtest_memread(qts, ldq_le_p(si + 32), rsdp, sizeof(rsdp));
        g_assert_cmpuint(checksum(rsdp, 20), ==, 0);
        g_assert_cmpmem(bios + r, rsdp[15] >= 2 ? 36 : 20,
                        rsdp, rsdp[15] >= 2 ? 36 : 20);
        g_assert_cmpuint(memmap_type(qts, ldl_le_p(rsdp + 16), 36), ==, 3);
    }
    qtest_quit(qts);
    unlink(kernel);
}

/* Enabled processors in the MADT the RSDP at @rsdp leads to */
static unsigned madt_enabled_cpus(QTestState *qts, uint64_t rsdp)
{
    g_autofree uint8_t *madt = NULL;
    uint32_t mlen, off, n = 0;
    uint64_t t = find_table(qts, rsdp, "APIC", &mlen);

    g_assert_cmphex(t, !=, 0);
    madt = g_malloc(mlen);
    qtest_memread(qts, t, madt, mlen);
    /* Processor Local APIC entries (type 0): flags bit 0, enabled */
    for (off = 44; off + 2 <= mlen && madt[off + 1]; off += madt[off + 1]) {
        if (madt[off] == 0 && (ldl_le_p(madt + off + 4) & 1)) {
            n++;
        }
    }
    return n;
}

/* The ACPI area (the tables, then SMBIOS's), the MADT's bytes zeroed */
static uint8_t *read_acpi_area(QTestState *qts, uint64_t rsdp)
{
    const uint64_t base = ACPI_END - ACPI_AREA;
    uint8_t *area = g_malloc(ACPI_AREA);
    uint32_t len;
    uint64_t madt = find_table(qts, rsdp, "APIC", &len);

    g_assert_cmphex(madt, >=, base);
    g_assert_cmphex(madt + len, <=, base + ACPI_AREA);
    qtest_memread(qts, base, area, ACPI_AREA);
    memset(area + (madt - base), 0, len);
    return area;
}

/*
 * Resets write the tables again from a cache, without rebuilding them,
 * unless the machine changed: a CPU added at run time must show in the
 * MADT after the next reset.
 */
static void test_tables_after_hotplug(const void *data)
{
    const char *machine = data;
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autofree uint8_t *first = NULL, *again = NULL, *rebuilt = NULL;
    QTestState *qts;
    uint8_t si[56];

    qts = qtest_initf("-M %s -m 128M -smp 1,maxcpus=2 -kernel %s", machine,
                      kernel);
    qtest_memread(qts, START_INFO, si, sizeof(si));
    g_assert_cmpuint(madt_enabled_cpus(qts, ldq_le_p(si + 32)), ==, 1);
    first = read_acpi_area(qts, ldq_le_p(si + 32));
    /*
     * A reset with nothing changed restores spoiled tables, and the
     * zeroes QEMU pads them with (written only where they are not zero)
     */
    qtest_memset(qts, ldq_le_p(si + 32), 0, 36);
    qtest_memset(qts, ACPI_END - ACPI_AREA + 0x1f000, 0xcc, 0x100);
    qtest_system_reset(qts);
    qtest_memread(qts, START_INFO, si, sizeof(si));
    g_assert_cmpuint(madt_enabled_cpus(qts, ldq_le_p(si + 32)), ==, 1);
    again = read_acpi_area(qts, ldq_le_p(si + 32));
    g_assert_cmpmem(again, ACPI_AREA, first, ACPI_AREA);
    qtest_qmp_device_add(qts, "qemu64-x86_64-cpu", "cpu1",
                         "{'socket-id': 0, 'core-id': 1, 'thread-id': 0}");
    qtest_system_reset(qts);
    qtest_memread(qts, START_INFO, si, sizeof(si));
    g_assert_cmpuint(madt_enabled_cpus(qts, ldq_le_p(si + 32)), ==, 2);
    /*
     * Built again by acpi_build(): byte for byte the first reset's tables
     * but for the MADT (the DSDT lists every possible CPU).  The first
     * reset loaded those acpi_setup() built for fw_cfg at machine-done,
     * after the chipset was programmed and the PCI hotplug buses were
     * numbered as at a reset: without either, the FADT's PM blocks say 0
     * and the DSDT lacks the PCI hotplug methods, and this fails.
     */
    rebuilt = read_acpi_area(qts, ldq_le_p(si + 32));
    g_assert_cmpmem(rebuilt, ACPI_AREA, first, ACPI_AREA);
    qtest_quit(qts);
    unlink(kernel);
}

/* A bzImage: 4 setup sectors, then the protected-mode kernel */
#define BZ_SETUP        (5 * 512)
#define BZ_SIZE         (BZ_SETUP + 0x1000)
#define BZ_BASE         0x1000000
#define BZ_INIT_SIZE    0x200000
#define BZ_BOOT_PARAMS  0x10000

static char *write_bzimage(void)
{
    uint8_t buf[BZ_SIZE] = { 0 };
    char *path = NULL;
    int fd = g_file_open_tmp("pvh-bz-XXXXXX", &path, NULL);
    size_t i;

    g_assert_cmpint(fd, >=, 0);
    buf[0x1f1] = 4;
    stl_le_p(buf + 0x1f4, (BZ_SIZE - BZ_SETUP) / 16);
    buf[0x200] = 0xeb;
    buf[0x201] = 0x6a;                  /* the header ends at 0x26c */
    memcpy(buf + 0x202, "HdrS", 4);
    stw_le_p(buf + 0x206, 0x20f);
    buf[0x211] = 1;                     /* LOADED_HIGH */
    stl_le_p(buf + 0x214, 0x100000);
    stl_le_p(buf + 0x22c, 0x7fffffff);
    stl_le_p(buf + 0x230, 0x200000);
    buf[0x234] = 1;                     /* relocatable */
    stw_le_p(buf + 0x236, 0x7f);
    stl_le_p(buf + 0x238, 2047);
    stq_le_p(buf + 0x258, BZ_BASE);
    stl_le_p(buf + 0x260, BZ_INIT_SIZE);
    for (i = BZ_SETUP; i < BZ_SIZE; i++) {
        buf[i] = i * 13 + 1;
    }
    memcpy(buf + BZ_SETUP, kernel_code, sizeof(kernel_code));
    g_assert_cmpint(write(fd, buf, sizeof(buf)), ==, sizeof(buf));
    close(fd);
    return path;
}

static void check_linux_cpu(QTestState *qts)
{
    g_autofree char *regs = qtest_hmp(qts, "info registers");

    g_assert_cmphex(reg(regs, "EIP="), ==, BZ_BASE);
    g_assert_cmphex(reg(regs, "ESI="), ==, BZ_BOOT_PARAMS);
    g_assert_cmphex(reg(regs, "EBX="), ==, 0);
    g_assert_cmphex(reg(regs, "EBP="), ==, 0);
    g_assert_cmphex(reg(regs, "EDI="), ==, 0);
    g_assert_cmphex(reg(regs, "EFL="), ==, 0x2);
    g_assert_cmphex(reg(regs, "CR0="), ==, 0x11);
    g_assert_true(g_str_has_prefix(strstr(regs, "CS ="),
                                   "CS =0010 00000000 ffffffff 00c09b00"));
    g_assert_true(g_str_has_prefix(strstr(regs, "DS ="),
                                   "DS =0018 00000000 ffffffff 00c09300"));
    g_assert_true(g_str_has_prefix(strstr(regs, "ES ="),
                                   "ES =0018 00000000 ffffffff 00c09300"));
    g_assert_true(g_str_has_prefix(strstr(regs, "SS ="),
                                   "SS =0018 00000000 ffffffff 00c09300"));
    /* The GDT follows boot_params: the CPU's caches match it */
    g_assert_cmphex(reg(regs, "GDT="), ==, BZ_BOOT_PARAMS + 0x1000);
    g_assert_cmphex(qtest_readq(qts, BZ_BOOT_PARAMS + 0x1010), ==,
                    0x00cf9b000000ffffULL);
    g_assert_cmphex(qtest_readq(qts, BZ_BOOT_PARAMS + 0x1018), ==,
                    0x00cf93000000ffffULL);
}

static void check_boot_params(QTestState *qts, const char *file,
                              const char *cmdline, const char *initrd,
                              size_t initrd_size, bool vga)
{
    uint8_t bp[0x1000], e[20], want[BZ_SIZE];
    g_autofree uint8_t *img = NULL, *have = g_malloc(initrd_size);
    g_autofree char *got = g_malloc(strlen(cmdline) + 1);
    g_autofree uint8_t *rd = NULL;
    uint32_t i, n;
    uint64_t p;
    gsize len;
    int fd = open(file, O_RDONLY);

    g_assert_cmpint(read(fd, want, sizeof(want)), ==, sizeof(want));
    close(fd);
    qtest_memread(qts, BZ_BOOT_PARAMS, bp, sizeof(bp));
    /* The setup header as the image has it, but for what QEMU fills */
    g_assert_cmpmem(bp + 0x1f1, 0x210 - 0x1f1, want + 0x1f1, 0x210 - 0x1f1);
    g_assert_cmpmem(bp + 0x22c, 0x250 - 0x22c, want + 0x22c, 0x250 - 0x22c);
    g_assert_cmpmem(bp + 0x258, 0x26c - 0x258, want + 0x258, 0x26c - 0x258);
    g_assert_cmphex(bp[0x210], ==, 0xb0);               /* type_of_loader */
    g_assert_cmphex(ldl_le_p(bp + 0x214), ==, BZ_BASE); /* code32_start */
    g_assert_cmphex(ldq_le_p(bp + 0x250), ==, 0);       /* setup_data */
    /*
     * screen_info: 80x25 VGA text when the machine has a VGA, else zero;
     * zero up to acpi_rsdp_addr but for its fields
     */
    for (i = 0; i < 0x70; i++) {
        static const uint8_t mode3[0x12] = {
            [0x06] = 3, [0x07] = 80, [0x0a] = 3, [0x0e] = 25, [0x0f] = 1,
            [0x10] = 16,
        };

        g_assert_cmpuint(bp[i], ==, vga && i < sizeof(mode3) ? mode3[i] : 0);
    }
    /* The command line */
    p = ldl_le_p(bp + 0x228);
    g_assert_cmphex(p, !=, 0);
    qtest_memread(qts, p, got, strlen(cmdline) + 1);
    g_assert_cmpstr(got, ==, cmdline);
    /* The initrd, page-aligned, under initrd_addr_max */
    p = ldl_le_p(bp + 0x218);
    g_assert_cmpuint(ldl_le_p(bp + 0x21c), ==, initrd_size);
    g_assert_cmphex(p % 4096, ==, 0);
    g_assert_cmphex(p + initrd_size, <=, 0x80000000);
    g_assert_true(g_file_get_contents(initrd, (char **)&rd, &len, NULL));
    qtest_memread(qts, p, have, initrd_size);
    g_assert_cmpmem(have, initrd_size, rd, len);
    /* The e820 table, as the PVH memmap has it */
    n = bp[0x1e8];
    g_assert_cmpuint(n, >=, 4);
    for (i = 0; i < n; i++) {
        memcpy(e, bp + 0x2d0 + 20 * i, 20);
        if (i == 2) {
            g_assert_cmphex(ldq_le_p(e), ==, 0x100000);
            g_assert_cmpuint(ldl_le_p(e + 16), ==, 1);
        }
        if (i == 3) {
            g_assert_cmphex(ldq_le_p(e), ==, ACPI_END - ACPI_AREA);
            g_assert_cmpuint(ldl_le_p(e + 16), ==, 3);
        }
        if (i == 4) {
            g_assert_cmphex(ldq_le_p(e), ==, ACPI_END);
            g_assert_cmpuint(ldl_le_p(e + 16), ==, 1);
        }
    }
    /* acpi_rsdp_addr (protocol 2.14 and later) */
    check_acpi(qts, ldq_le_p(bp + 0x70));
    check_fadt(qts, ldq_le_p(bp + 0x70));
    /* The protected-mode kernel (init_size past it is the kernel's) */
    img = g_malloc(BZ_SIZE - BZ_SETUP);
    qtest_memread(qts, BZ_BASE, img, BZ_SIZE - BZ_SETUP);
    g_assert_cmpmem(img, BZ_SIZE - BZ_SETUP, want + BZ_SETUP,
                    BZ_SIZE - BZ_SETUP);
}

/* What a video BIOS leaves: mode 3's registers, a blank screen */
/*
 * Plane 2 of the VGA as a planar read sees it (read map 2, no odd/even,
 * 64 KiB at 0xa0000): glyph 'A' of the 8x16 font, 32 bytes a glyph.
 */
static void check_vga_font(QTestState *qts)
{
    static const uint8_t glyph_a[16] = {
        0x00, 0x00, 0x10, 0x38, 0x6c, 0xc6, 0xc6, 0xfe,
        0xc6, 0xc6, 0xc6, 0xc6, 0x00, 0x00, 0x00, 0x00,
    };
    uint8_t glyph[16];

    qtest_outw(qts, 0x3c4, 0x0604);             /* SR4: sequential */
    qtest_outw(qts, 0x3ce, 0x0204);             /* GR4: read map 2 */
    qtest_outw(qts, 0x3ce, 0x0005);             /* GR5: read mode 0 */
    qtest_outw(qts, 0x3ce, 0x0406);             /* GR6: 0xa0000, 64 KiB */
    qtest_memread(qts, 0xa0000 + 'A' * 32, glyph, sizeof(glyph));
    g_assert_cmpmem(glyph, sizeof(glyph), glyph_a, sizeof(glyph_a));
    qtest_outw(qts, 0x3c4, 0x0204);             /* text mode's again */
    qtest_outw(qts, 0x3ce, 0x0004);
    qtest_outw(qts, 0x3ce, 0x1005);
    qtest_outw(qts, 0x3ce, 0x0e06);
}

static void check_vga_text(QTestState *qts)
{
    uint16_t cell;
    int i;

    g_assert_cmphex(qtest_inb(qts, 0x3cc), ==, 0x67);  /* misc output */
    qtest_outb(qts, 0x3d4, 0x09);                       /* max scan line */
    g_assert_cmphex(qtest_inb(qts, 0x3d5), ==, 0x4f);
    qtest_outb(qts, 0x3ce, 0x06);                       /* text at b8000 */
    g_assert_cmphex(qtest_inb(qts, 0x3cf), ==, 0x0e);
    for (i = 0; i < 80 * 25; i += 37) {
        cell = qtest_readw(qts, 0xb8000 + 2 * i);
        g_assert_cmphex(cell, ==, 0x0720);
    }
    check_vga_font(qts);
}

static void test_bzimage_boot(const void *data)
{
    const char *machine = data;
    bool vga = !strstr(machine, "-vga none");
    g_autofree char *kernel = write_bzimage();
    g_autofree char *initrd = write_initrd(10000);
    const char *cmdline = "console=ttyS0 pvh.test=bzimage";
    QTestState *qts;

    qts = qtest_initf("-M %s -m 128M -kernel %s -initrd %s -append '%s'",
                      machine, kernel, initrd, cmdline);
    check_linux_cpu(qts);
    check_boot_params(qts, kernel, cmdline, initrd, 10000, vga);
    if (vga) {
        check_vga_text(qts);
        qtest_memset(qts, 0xb8000, 0x41, 4000);
    }

    /* A reset restores boot_params, the image and the text screen */
    qtest_memset(qts, BZ_BOOT_PARAMS, 0xcc, 0x1100);
    qtest_memset(qts, BZ_BASE, 0xcc, 0x2000);
    qtest_system_reset(qts);
    check_linux_cpu(qts);
    check_boot_params(qts, kernel, cmdline, initrd, 10000, vga);
    if (vga) {
        check_vga_text(qts);
    }

    qtest_quit(qts);
    unlink(kernel);
    unlink(initrd);
}

/* The host address of RAM block @name ("info ramblock"), 0 if none */
static uint64_t ramblock_hva(QTestState *qts, const char *name)
{
    g_autofree char *out = qtest_hmp(qts, "info ramblock");
    g_auto(GStrv) lines = g_strsplit(out, "\n", 0);
    uint64_t hva = 0;
    size_t i;

    for (i = 0; lines[i] && !hva; i++) {
        g_auto(GStrv) col = g_strsplit_set(g_strstrip(lines[i]), " \t", 0);
        const char *f[8];
        size_t n = 0, j;

        for (j = 0; col[j] && n < ARRAY_SIZE(f); j++) {
            if (*col[j]) {
                f[n++] = col[j];
            }
        }
        /* Block Name, PSize (2 words), Offset, Used, Total, HVA, RO */
        if (n == 8 && g_str_has_suffix(f[0], name)) {
            hva = g_ascii_strtoull(f[6], NULL, 16);
        }
    }
    return hva;
}

/*
 * Rss and AnonHugePages (KiB) of the mappings of process @pid that
 * overlap [@start, @start + @len)
 */
static void smaps_sum(pid_t pid, uint64_t start, uint64_t len,
                      uint64_t *rss, uint64_t *huge)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    bool in = false;
    size_t i;

    *rss = *huge = 0;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", 0);
    for (i = 0; lines[i]; i++) {
        unsigned long long a, b, kb;

        if (sscanf(lines[i], "%llx-%llx ", &a, &b) == 2 &&
            strchr(lines[i], '-') < strchr(lines[i], ' ')) {
            in = a < start + len && b > start;
        } else if (in && sscanf(lines[i], "Rss: %llu kB", &kb) == 1) {
            *rss += kb;
        } else if (in && sscanf(lines[i], "AnonHugePages: %llu kB",
                                &kb) == 1) {
            *huge += kb;
        }
    }
}

/*
 * The first reset writes a few KiB at the start of guest RAM (boot
 * information, the tables below 2 MiB) and of the VGA's memory (font,
 * screen): into base pages, not into 2 MiB transparent huge pages that
 * the host clears first (most of a null kernel's first reset).
 */
static void test_small_pages(void)
{
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autofree char *thp = NULL;
    const char *blocks[] = { "pc.ram", "/vga.vram" };
    QTestState *qts;
    size_t i;

    if (!g_file_get_contents("/sys/kernel/mm/transparent_hugepage/enabled",
                             &thp, NULL, NULL) || strstr(thp, "[never]")) {
        g_test_skip("transparent huge pages are off on this host");
        unlink(kernel);
        return;
    }
    qts = qtest_initf("-M pc -m 128M -vga std -kernel %s", kernel);
    for (i = 0; i < ARRAY_SIZE(blocks); i++) {
        uint64_t hva = ramblock_hva(qts, blocks[i]), rss, huge;

        g_assert_cmphex(hva, !=, 0);
        smaps_sum(qtest_pid(qts), hva, 2 * MiB, &rss, &huge);
        g_test_message("%s: Rss %" PRIu64 " KiB, AnonHugePages %" PRIu64
                       " KiB", blocks[i], rss, huge);
        g_assert_cmpuint(rss, >, 0);
        g_assert_cmpuint(huge, ==, 0);
    }
    qtest_quit(qts);
    unlink(kernel);
}

/* Migrate to a new temporary file, and wait until that completes */
static char *migrate_to_file(QTestState *qts)
{
    g_autofree char *uri = NULL;
    char *state = NULL;
    bool done;
    QDict *rsp;
    int fd;

    fd = g_file_open_tmp("pvh-state-XXXXXX", &state, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    uri = g_strconcat("file:", state, NULL);
    rsp = qtest_qmp(qts, "{ 'execute': 'migrate',"
                    "  'arguments': { 'uri': %s } }", uri);
    g_assert_true(qdict_haskey(rsp, "return"));
    qobject_unref(rsp);
    do {
        g_usleep(10 * 1000);
        rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
        done = !strcmp(qdict_get_try_str(qdict_get_qdict(rsp, "return"),
                                         "status") ?: "", "completed");
        qobject_unref(rsp);
    } while (!done);
    return state;
}

/*
 * The BIOS area of a kernel booted directly: not read from the file at
 * start-up (blank but for the SMBIOS entry point and the RSDP's copy),
 * and filled from it when a migration starts, since the destination may
 * boot through firmware: all of it, as a fresh start has it, without
 * the two copies.  A reset on the direct path writes them again, and
 * the next migration takes them out again.
 */
static void test_bios_area(void)
{
    const uint64_t size = 64 * KiB, top = 4 * GiB - size;
    const size_t ours = 0x64;   /* 0xf0000: entry point, then RSDP */
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autofree uint8_t *img = g_malloc(size);
    g_autofree uint8_t *area = g_malloc(size);
    g_autofree uint8_t *before = g_malloc(ours);
    g_autofree char *bios = NULL, *state = NULL;
    QTestState *qts;
    uint64_t i;
    int fd;

    for (i = 0; i < size; i++) {
        img[i] = i * 7 + 1;
    }
    fd = g_file_open_tmp("pvh-bios-XXXXXX", &bios, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, img, size), ==, size);
    close(fd);

    qts = qtest_initf("-M pc -m 128M -kernel %s -bios %s", kernel, bios);
    qtest_memread(qts, top, area, size);
    g_assert_cmpmem(area, 3, "_SM", 3);
    g_assert_cmpmem(area + 0x40, 8, "RSD PTR ", 8);
    for (i = ours; i < size; i++) {
        g_assert_cmpuint(area[i], ==, 0);
    }
    memcpy(before, area, ours);
    state = migrate_to_file(qts);

    qtest_memread(qts, top, area, size);
    g_assert_cmpmem(area, size, img, size);
    /* The same bytes where the guest sees the F segment */
    qtest_memread(qts, 0xf0000, area, size);
    g_assert_cmpmem(area, size, img, size);
    unlink(state);
    g_free(state);

    /* On top of the file's bytes now: the entry point, the RSDP (v0) */
    qtest_system_reset(qts);
    qtest_memread(qts, top, area, size);
    g_assert_cmpmem(area, before[5], before, before[5]);
    g_assert_cmpmem(area + 0x40, 20, before + 0x40, 20);
    g_assert_cmpmem(area + ours, size - ours, img + ours, size - ours);
    state = migrate_to_file(qts);
    qtest_memread(qts, top, area, size);
    g_assert_cmpmem(area, size, img, size);
    qtest_quit(qts);
    unlink(kernel);
    unlink(bios);
    unlink(state);
}

/*
 * An option ROM on the direct path: no firmware runs it, so its file is
 * read when the guest first maps the ROM BAR, or when a migration starts.
 * The file is rewritten (same size, other bytes) or cut after start-up,
 * then the BAR is mapped through config space:
 *  - "direct": the BAR shows the new bytes;
 *  - "firmware" (no -kernel: the BIOS runs): read at realize, the old
 *    bytes;
 *  - "migrated": read when the migration started, the old bytes;
 *  - "resized": a file no longer of its size leaves the BAR blank.
 */
#define ROM_DEVFN       (5 << 3)
#define ROM_BAR         0xe0000000u
#define ROM_SIZE        (64 * KiB)

static void write_rom(const char *path, uint8_t seed, size_t size)
{
    g_autofree uint8_t *img = g_malloc(size);
    size_t i;

    for (i = 0; i < size; i++) {
        img[i] = i * 13 + seed;
    }
    img[0] = 0x55;
    img[1] = 0xaa;
    g_assert_true(g_file_set_contents(path, (char *)img, size, NULL));
}

static void pci_cfg_writel(QTestState *qts, uint8_t reg, uint32_t val)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | ROM_DEVFN << 8 | reg);
    qtest_outl(qts, 0xcfc, val);
}

static void test_option_rom(gconstpointer data)
{
    const char *mode = data;
    bool firmware = !strcmp(mode, "firmware");
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autofree char *rom = NULL, *state = NULL;
    g_autofree uint8_t *bar = g_malloc(ROM_SIZE);
    g_autofree uint8_t *want = NULL;
    QTestState *qts;
    size_t i;
    int fd;

    fd = g_file_open_tmp("pvh-rom-XXXXXX", &rom, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    write_rom(rom, 1, ROM_SIZE);
    qts = qtest_initf("-M pc -m 128M %s%s -net none "
                      "-device e1000,romfile=%s,addr=5",
                      firmware ? "" : "-kernel ", firmware ? "" : kernel, rom);

    if (!strcmp(mode, "migrated")) {
        state = migrate_to_file(qts);
    }
    if (!strcmp(mode, "resized")) {
        write_rom(rom, 2, ROM_SIZE / 2);
    } else {
        write_rom(rom, 2, ROM_SIZE);
    }

    pci_cfg_writel(qts, PCI_ROM_ADDRESS, ROM_BAR | PCI_ROM_ADDRESS_ENABLE);
    pci_cfg_writel(qts, PCI_COMMAND, PCI_COMMAND_MEMORY);
    qtest_memread(qts, ROM_BAR, bar, ROM_SIZE);
    if (!strcmp(mode, "resized")) {
        want = g_malloc0(ROM_SIZE);
    } else {
        g_assert_true(g_file_get_contents(rom, (char **)&want, NULL, NULL));
        if (strcmp(mode, "direct")) {
            /* the bytes of the file at start-up */
            for (i = 2; i < ROM_SIZE; i++) {
                want[i] = i * 13 + 1;
            }
        }
    }
    g_assert_cmpmem(bar, ROM_SIZE, want, ROM_SIZE);
    qtest_quit(qts);
    unlink(kernel);
    unlink(rom);
    if (state) {
        unlink(state);
    }
}

static const SMBIOSCase smbios_cases[] = {
    { "smbios", "pc", 0 },
    { "smbios-acpi-off", "pc,acpi=off", 0 },
    { "smbios-80-oem-strings", "q35", 80 },
    /* No BIOS file: a blank BIOS area still holds the entry points */
    { "smbios-no-bios-file", "q35", 0, "-bios /nonexistent/bios-256k.bin" },
    { "smbios-type0-given", "pc", 0, "-smbios type=0,vendor=Acme,version=7",
      "Acme", "7" },
};

static const PVHCase cases[] = {
    { "elf64-desc8", "pc", { true, 8 }, 16, 0 },
    { "elf32-desc4", "pc", { false, 4 }, 16, 0 },
    { "elf64-desc4-q35", "q35", { true, 4 }, 0, 0 },
    { "initrd", "pc", { true, 8 }, 32, 10000 },
    { "cmdline-100000", "pc", { true, 8 }, 100000, 4096 },
};

/*
 * The machine's read-only boot-path, boot-protocol and boot-path-reason
 * properties, through QMP: how -kernel boots, and why.
 */
typedef struct BootPathCase {
    const char *name;
    const char *machine;        /* -M, with a PVH kernel unless "nokernel" */
    const char *path, *protocol, *reason;
} BootPathCase;

static const BootPathCase boot_path_cases[] = {
    { "direct", "pc", "direct", "pvh",
      "direct-boot=auto: machine type pc-i440fx-" },
    { "direct-on", "q35,direct-boot=on", "direct", "pvh", "direct-boot=on" },
    { "firmware-off", "q35,direct-boot=off", "firmware", "pvh",
      "direct-boot=off" },
    { "firmware-old-type", "pc-i440fx-9.2", "firmware", "pvh",
      "direct-boot=auto: machine type pc-i440fx-9.2 boots through firmware" },
    { "no-kernel", "pc nokernel", "firmware", "none", "no -kernel" },
};

static char *qom_get_str(QTestState *qts, const char *property)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments':"
                           " { 'path': '/machine', 'property': %s } }",
                           property);
    char *value = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    return value;
}

static void test_boot_path(const void *data)
{
    const BootPathCase *c = data;
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { true, 8 });
    g_autofree char *path = NULL, *protocol = NULL, *reason = NULL;
    g_autofree char *machine = g_strdup(c->machine);
    char *nokernel = strstr(machine, " nokernel");
    QTestState *qts;

    if (nokernel) {
        *nokernel = 0;
        qts = qtest_initf("-M %s -m 128M", machine);
    } else {
        qts = qtest_initf("-M %s -m 128M -kernel %s", machine, kernel);
    }
    path = qom_get_str(qts, "boot-path");
    protocol = qom_get_str(qts, "boot-protocol");
    reason = qom_get_str(qts, "boot-path-reason");
    g_assert_cmpstr(path, ==, c->path);
    g_assert_cmpstr(protocol, ==, c->protocol);
    g_assert_true(g_str_has_prefix(reason, c->reason));
    /* A reset boots the same way */
    qtest_system_reset(qts);
    g_free(path);
    path = qom_get_str(qts, "boot-path");
    g_assert_cmpstr(path, ==, c->path);
    qtest_quit(qts);
    unlink(kernel);
}

/*
 * The interrupt controllers, the PIT and the PCI interrupt routing as
 * SeaBIOS leaves them (read back from a machine it booted, as
 * tests/guest/platform-test.sh compares them with a guest): at the
 * first reset, and again at a reset after the guest changed them.
 */
typedef struct IrqCase {
    const char *machine;
    uint8_t router;         /* devfn of PIIX3 or ICH9's LPC */
    uint8_t edu_slot;       /* a device whose INTA routes to IRQ 11 */
    uint8_t pm_devfn;       /* the ACPI PM function (SCI on IRQ 9), or 0 */
} IrqCase;

#define IRQ_DEVFN(slot, fn) ((slot) << 3 | (fn))

static uint32_t pci_cfg_read(QTestState *qts, uint8_t devfn, uint8_t reg)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | devfn << 8 | reg);
    return qtest_inl(qts, 0xcfc);
}

static void check_irq_state(QTestState *qts, const IrqCase *c)
{
    g_assert_cmphex(qtest_inb(qts, 0x21), ==, 0xb8);    /* 8259 masks */
    g_assert_cmphex(qtest_inb(qts, 0xa1), ==, 0x8e);
    g_assert_cmphex(qtest_inb(qts, 0x4d0), ==, 0);      /* ELCR */
    g_assert_cmphex(qtest_inb(qts, 0x4d1), ==, 0x0c);   /* IRQ 10, 11 */
    qtest_outb(qts, 0x43, 0xe2);                        /* read-back */
    g_assert_cmphex(qtest_inb(qts, 0x40) & 0x3f, ==, 0x34);  /* mode 2 */
    g_assert_cmphex(pci_cfg_read(qts, c->router, 0x60), ==, 0x0b0b0a0a);
    if (c->router != IRQ_DEVFN(1, 0)) {
        g_assert_cmphex(pci_cfg_read(qts, c->router, 0x68), ==, 0x0b0b0a0a);
    }
    g_assert_cmphex(pci_cfg_read(qts, IRQ_DEVFN(c->edu_slot, 0),
                                 PCI_INTERRUPT_LINE) & 0xff, ==, 11);
    if (c->pm_devfn) {
        g_assert_cmphex(pci_cfg_read(qts, c->pm_devfn,
                                     PCI_INTERRUPT_LINE) & 0xff, ==, 9);
    }
}

static void test_irq_state(const void *data)
{
    const IrqCase *c = data;
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { false, 4 });
    QTestState *qts;

    qts = qtest_initf("-M %s -m 128M -nic none -kernel %s -device edu,addr=%d",
                      c->machine, kernel, c->edu_slot);
    check_irq_state(qts, c);
    /* What a guest changes, a reset puts back */
    qtest_outb(qts, 0x21, 0xff);
    qtest_outb(qts, 0x4d1, 0);
    qtest_outl(qts, 0xcf8, 0x80000000u | c->router << 8 | 0x60);
    qtest_outl(qts, 0xcfc, 0x80808080);
    qtest_system_reset(qts);
    check_irq_state(qts, c);
    qtest_quit(qts);
    unlink(kernel);
}

static const IrqCase irq_cases[] = {
    { "pc", IRQ_DEVFN(1, 0), 3, IRQ_DEVFN(1, 3) },
    { "q35", IRQ_DEVFN(31, 0), 2, 0 },
};

/*
 * PCI resources as firmware leaves them: on the root bus an edu (a
 * 32-bit BAR) and a pci-testdev with a 4 GiB 64-bit BAR, which does not
 * fit below 4 GiB; a bridge (pci-bridge, or a PCIe root port) with an
 * edu behind it.  Bus numbers, BARs inside the bridge's window, decode
 * on; at the first reset and again after the guest cleared them.
 */
typedef struct PciCase {
    const char *machine;
    const char *bridge;     /* -device options of the bridge, id "br" */
} PciCase;

#define PCI_EDU_SLOT    3
#define PCI_BRIDGE_SLOT 4
#define PCI_TESTDEV_SLOT 5

static uint32_t pci_bus_cfg_read(QTestState *qts, uint8_t bus, uint8_t devfn,
                                 uint8_t reg)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | bus << 16 | devfn << 8 | reg);
    return qtest_inl(qts, 0xcfc);
}

static void pci_bus_cfg_write(QTestState *qts, uint8_t bus, uint8_t devfn,
                              uint8_t reg, uint32_t val)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | bus << 16 | devfn << 8 | reg);
    qtest_outl(qts, 0xcfc, val);
}

static void check_pci_resources(QTestState *qts)
{
    uint8_t br = IRQ_DEVFN(PCI_BRIDGE_SLOT, 0);
    uint32_t buses = pci_bus_cfg_read(qts, 0, br, PCI_PRIMARY_BUS);
    uint32_t edu = pci_bus_cfg_read(qts, 0, IRQ_DEVFN(PCI_EDU_SLOT, 0),
                                    PCI_BASE_ADDRESS_0);
    uint32_t window = pci_bus_cfg_read(qts, 0, br, PCI_MEMORY_BASE);
    uint64_t win_base = (uint64_t)(window & 0xfff0) << 16;
    uint64_t win_limit = ((uint64_t)(window >> 16 & 0xfff0) << 16) | 0xfffff;
    uint32_t behind = pci_bus_cfg_read(qts, 1, IRQ_DEVFN(0, 0),
                                       PCI_BASE_ADDRESS_0);
    uint8_t testdev = IRQ_DEVFN(PCI_TESTDEV_SLOT, 0);
    uint64_t big;

    g_assert_cmphex(buses & 0xffffff, ==, 0x010100);   /* 0, 1, 1 */
    /* edu: 1 MiB of registers, in the 32-bit hole, memory decode on */
    g_assert_cmphex(edu, >=, 0x80000000u);
    g_assert_cmphex(edu % MiB, ==, 0);
    g_assert_cmphex(pci_bus_cfg_read(qts, 0, IRQ_DEVFN(PCI_EDU_SLOT, 0),
                                     PCI_COMMAND) & PCI_COMMAND_MEMORY, ==,
                    PCI_COMMAND_MEMORY);
    /* The edu behind the bridge: inside its window, apart from the other */
    g_assert_cmphex(behind, >=, win_base);
    g_assert_cmphex(behind + MiB - 1, <=, win_limit);
    g_assert_cmphex(behind, !=, edu);
    g_assert_true(edu + MiB <= win_base || edu > win_limit);
    g_assert_cmphex(pci_bus_cfg_read(qts, 1, IRQ_DEVFN(0, 0), PCI_COMMAND) &
                    PCI_COMMAND_MEMORY, ==, PCI_COMMAND_MEMORY);
    g_assert_cmphex(pci_bus_cfg_read(qts, 0, br, PCI_COMMAND) &
                    PCI_COMMAND_MEMORY, ==, PCI_COMMAND_MEMORY);
    /* The 4 GiB BAR above 4 GiB, 4 GiB aligned */
    big = pci_bus_cfg_read(qts, 0, testdev, PCI_BASE_ADDRESS_2) & ~0xfull;
    big |= (uint64_t)pci_bus_cfg_read(qts, 0, testdev,
                                      PCI_BASE_ADDRESS_2 + 4) << 32;
    g_assert_cmphex(big, >=, 4 * GiB);
    g_assert_cmphex(big % (4 * GiB), ==, 0);
    /* Its I/O BAR at the PC's PCI I/O ports */
    g_assert_cmphex(pci_bus_cfg_read(qts, 0, testdev, PCI_BASE_ADDRESS_1) &
                    ~3u, >=, 0xc000);
}

static void test_pci_resources(const void *data)
{
    const PciCase *c = data;
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { false, 4 });
    QTestState *qts;

    qts = qtest_initf("-M %s -m 128M -nic none -kernel %s "
                      "-device edu,addr=%d -device %s,id=br,addr=%d "
                      "-device edu,bus=br,addr=0 "
                      "-device pci-testdev,membar=4G,addr=%d",
                      c->machine, kernel, PCI_EDU_SLOT, c->bridge,
                      PCI_BRIDGE_SLOT, PCI_TESTDEV_SLOT);
    check_pci_resources(qts);
    /* What a guest changes, a reset puts back */
    pci_bus_cfg_write(qts, 0, IRQ_DEVFN(PCI_EDU_SLOT, 0), PCI_COMMAND, 0);
    pci_bus_cfg_write(qts, 0, IRQ_DEVFN(PCI_EDU_SLOT, 0), PCI_BASE_ADDRESS_0,
                      0);
    pci_bus_cfg_write(qts, 0, IRQ_DEVFN(PCI_BRIDGE_SLOT, 0), PCI_PRIMARY_BUS,
                      0);
    qtest_system_reset(qts);
    check_pci_resources(qts);
    qtest_quit(qts);
    unlink(kernel);
}

/*
 * Which bridges firmware keeps room behind for hot-plug, as SeaBIOS
 * tells them from config space: an empty pcie-pci-bridge (an SHPC)
 * gets I/O, memory and prefetchable windows; on pc an empty pci-bridge
 * without an SHPC gets none, though QEMU's bus takes hot-plug through
 * ACPI
 */
static bool bridge_window_open(QTestState *qts, uint8_t bus, uint8_t devfn,
                               uint8_t reg)
{
    uint32_t v = pci_bus_cfg_read(qts, bus, devfn, reg);

    if (reg == PCI_IO_BASE) {
        return (v & 0xf0) <= (v >> 8 & 0xf0);
    }
    return (v & 0xfff0) <= (v >> 16 & 0xfff0);
}

static void test_pci_hotplug_windows(const void *data)
{
    bool q35 = !strcmp(data, "q35");
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { false, 4 });
    /* q35: the pcie-pci-bridge behind the root port at 00:04.0 */
    uint8_t bus = q35 ? 1 : 0, devfn = IRQ_DEVFN(q35 ? 0 : 4, 0);
    static const uint8_t regs[] = {
        PCI_IO_BASE, PCI_MEMORY_BASE, PCI_PREF_MEMORY_BASE,
    };
    QTestState *qts;
    int i;

    qts = qtest_initf("-M %s -m 128M -nic none -kernel %s %s", (char *)data,
                      kernel,
                      q35 ? "-device pcie-root-port,id=rp,chassis=1,addr=4 "
                            "-device pcie-pci-bridge,bus=rp" :
                            "-device pci-bridge,chassis_nr=1,addr=4,shpc=off");
    for (i = 0; i < ARRAY_SIZE(regs); i++) {
        g_assert_cmpint(bridge_window_open(qts, bus, devfn, regs[i]), ==, q35);
    }
    qtest_quit(qts);
    unlink(kernel);
}

static const PciCase pci_cases[] = {
    { "pc", "pci-bridge,chassis_nr=1" },
    { "q35", "pcie-root-port,chassis=1" },
};

/*
 * PCI behind an expander bridge (pxb on pc, pxb-pcie on q35, bus 0x20),
 * numbered and placed as SeaBIOS does (its `info pci`): the expander's
 * root bus after the main one's, its bridge's bus next, every bus a
 * PCIe root port's bus-reserve asks for kept behind it, its io-reserve
 * kept as its I/O window; an edu behind it inside its window, decode on.
 * pxb has a bridge of its own at 20:00.0: the user's bridge is behind it.
 */
static void test_pci_expander(const void *data)
{
    bool q35 = !strcmp(data, "q35");
    g_autofree char *kernel = write_kernel(&(PVHTestKernel) { false, 4 });
    /* The port or bridge the edu is behind, and the bus it is on */
    uint8_t bus = q35 ? 0x20 : 0x21, sec = bus + 1;
    uint32_t buses, window, io, edu;
    QTestState *qts;
    int i;

    qts = qtest_initf("-M %s -m 128M -nic none -kernel %s "
                      "-device %s,id=pxb,bus_nr=0x20 %s "
                      "-device edu,bus=br,addr=%d",
                      (char *)data, kernel, q35 ? "pxb-pcie" : "pxb",
                      q35 ? "-device pcie-root-port,id=br,bus=pxb,chassis=1,"
                            "addr=0,bus-reserve=3,io-reserve=8K" :
                            "-device pci-bridge,id=br,bus=pxb,chassis_nr=1,"
                            "addr=1",
                      q35 ? 0 : 1);
    for (i = 0; i < 2; i++) {
        uint8_t br = IRQ_DEVFN(q35 ? 0 : 1, 0);

        buses = pci_bus_cfg_read(qts, bus, br, PCI_PRIMARY_BUS);
        g_assert_cmphex(buses & 0xffffff, ==,
                        (q35 ? sec + 3 : sec) << 16 | sec << 8 | bus);
        if (!q35) {
            g_assert_cmphex(pci_bus_cfg_read(qts, 0x20, 0, PCI_PRIMARY_BUS) &
                            0xffffff, ==, 0x222120);
        }
        window = pci_bus_cfg_read(qts, bus, br, PCI_MEMORY_BASE);
        io = pci_bus_cfg_read(qts, bus, br, PCI_IO_BASE);
        edu = pci_bus_cfg_read(qts, sec, IRQ_DEVFN(q35 ? 0 : 1, 0),
                               PCI_BASE_ADDRESS_0);
        g_assert_cmphex(edu, >=, (uint64_t)(window & 0xfff0) << 16);
        g_assert_cmphex(edu + MiB - 1, <=,
                        ((uint64_t)(window >> 16 & 0xfff0) << 16) | 0xfffff);
        g_assert_cmphex(pci_bus_cfg_read(qts, sec, IRQ_DEVFN(q35 ? 0 : 1, 0),
                                         PCI_COMMAND) & PCI_COMMAND_MEMORY,
                        ==, PCI_COMMAND_MEMORY);
        if (q35) {
            /* 8 KiB of ports at the PC's PCI I/O ports */
            g_assert_cmphex((io & 0xf0) << 8, >=, 0xc000);
            g_assert_cmphex(((io >> 8 & 0xf0) - (io & 0xf0)) << 8, ==,
                            0x1000);
        }
        /* What a guest changes, a reset puts back */
        pci_bus_cfg_write(qts, bus, br, PCI_PRIMARY_BUS, 0);
        pci_bus_cfg_write(qts, sec, IRQ_DEVFN(q35 ? 0 : 1, 0), PCI_COMMAND, 0);
        qtest_system_reset(qts);
    }
    qtest_quit(qts);
    unlink(kernel);
}

/*
 * The MP table firmware leaves where there is no ACPI: the floating
 * pointer at 0x9fc00, its table in a reserved range; CPUs in it.
 * Returns the number of processor entries, 0 if there is no table.
 */
static unsigned mptable_cpus(QTestState *qts)
{
    uint8_t fp[16], hdr[44];
    g_autofree uint8_t *t = NULL;
    uint32_t addr;
    uint16_t len, count, i, n = 0, off = 44;

    qtest_memread(qts, 0x9fc00, fp, sizeof(fp));
    if (memcmp(fp, "_MP_", 4)) {
        return 0;
    }
    g_assert_cmpuint(checksum(fp, sizeof(fp)), ==, 0);
    addr = ldl_le_p(fp + 4);
    qtest_memread(qts, addr, hdr, sizeof(hdr));
    g_assert_cmpmem(hdr, 4, "PCMP", 4);
    len = lduw_le_p(hdr + 4);
    count = lduw_le_p(hdr + 34);
    t = g_malloc(len);
    qtest_memread(qts, addr, t, len);
    g_assert_cmpuint(checksum(t, len), ==, 0);
    g_assert_cmpuint(memmap_type(qts, addr, len), ==, 2);
    g_assert_cmpuint(memmap_type(qts, 0x9fc00, 16), ==, 2);
    for (i = 0; i < count; i++) {
        g_assert_cmpuint(off, <, len);
        n += t[off] == 0;
        off += t[off] == 0 ? 20 : 8;
    }
    g_assert_cmpuint(off, ==, len);
    return n;
}

/*
 * microvm with direct-boot=on: its own ACPI tables (a hardware-reduced
 * FADT, the MADT with every CPU) at rsdp_paddr in ACPI memory, or with
 * acpi=off the MP table, as qboot; the reset vector that resets the
 * machine; all again after a reset.  pc gets no MP table, with ACPI or
 * without (SeaBIOS leaves Linux one CPU with acpi=off).
 */
static void test_no_firmware_tables(const void *data)
{
    const char *machine = data;
    PVHTestKernel k = { true, 8 };
    g_autofree char *kernel = write_kernel(&k);
    static const uint8_t stub[8] = {
        0x2e, 0x0f, 0x01, 0x1e, 0xe8, 0xff, 0xcc, 0xf4,
    };
    bool acpi = !strstr(machine, "acpi=off");
    bool microvm = g_str_has_prefix(machine, "microvm");
    QTestState *qts = qtest_initf("-M %s -m 128M -smp 2 -kernel %s",
                                  machine, kernel);
    uint8_t vec[8];
    int i;

    for (i = 0; i < 2; i++) {
        uint64_t rsdp = qtest_readq(qts, START_INFO + 32);
        uint32_t len;

        check_cpu(qts, START_INFO);
        if (acpi) {
            uint64_t fadt = find_table(qts, rsdp, "FACP", &len);

            g_assert_cmphex(rsdp, !=, 0);
            g_assert_cmpuint(memmap_type(qts, rsdp, 36), ==, 3);
            g_assert_cmphex(fadt, !=, 0);
            /* Flags bit 20: HW_REDUCED_ACPI on microvm, not on pc */
            g_assert_cmpuint(!!(qtest_readl(qts, fadt + 112) & (1 << 20)), ==,
                             microvm);
            g_assert_cmpuint(madt_enabled_cpus(qts, rsdp), ==, 2);
            g_assert_cmpuint(mptable_cpus(qts), ==, 0);
        } else {
            /* qboot's MP table on microvm; SeaBIOS leaves none usable */
            g_assert_cmphex(rsdp, ==, 0);
            g_assert_cmpuint(mptable_cpus(qts), ==, microvm ? 2 : 0);
        }
        qtest_memread(qts, 0xffff0, vec, sizeof(vec));
        g_assert_cmpuint(!memcmp(vec, stub, sizeof(stub)), ==, microvm);
        qtest_memset(qts, 0x9e000, 0, 0x2000);
        qtest_system_reset(qts);
    }
    qtest_quit(qts);
    unlink(kernel);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *path = g_strdup_printf("/x86/pvh/direct/%s",
                                                cases[i].name);

        qtest_add_data_func(path, &cases[i], test_pvh_boot);
    }
    for (i = 0; i < ARRAY_SIZE(smbios_cases); i++) {
        g_autofree char *path = g_strdup_printf("/x86/pvh/direct/%s",
                                                smbios_cases[i].name);

        qtest_add_data_func(path, &smbios_cases[i], test_smbios);
    }
    for (i = 0; i < ARRAY_SIZE(boot_path_cases); i++) {
        g_autofree char *path = g_strdup_printf("/x86/pvh/boot-path/%s",
                                                boot_path_cases[i].name);

        qtest_add_data_func(path, &boot_path_cases[i], test_boot_path);
    }
    for (i = 0; i < ARRAY_SIZE(irq_cases); i++) {
        g_autofree char *path = g_strdup_printf("/x86/pvh/direct/irq/%s",
                                                irq_cases[i].machine);

        qtest_add_data_func(path, &irq_cases[i], test_irq_state);
    }
    for (i = 0; i < ARRAY_SIZE(pci_cases); i++) {
        g_autofree char *path = g_strdup_printf("/x86/pvh/direct/pci/%s",
                                                pci_cases[i].machine);

        qtest_add_data_func(path, &pci_cases[i], test_pci_resources);
    }
    qtest_add_data_func("/x86/pvh/direct/pci-hotplug-windows/pc", "pc",
                        test_pci_hotplug_windows);
    qtest_add_data_func("/x86/pvh/direct/pci-hotplug-windows/q35", "q35",
                        test_pci_hotplug_windows);
    qtest_add_data_func("/x86/pvh/direct/pci-expander/pc", "pc",
                        test_pci_expander);
    qtest_add_data_func("/x86/pvh/direct/pci-expander/q35", "q35",
                        test_pci_expander);
    qtest_add_data_func("/x86/pvh/direct/tables-after-hotplug/pc", "pc",
                        test_tables_after_hotplug);
    qtest_add_data_func("/x86/pvh/direct/tables-after-hotplug/q35", "q35",
                        test_tables_after_hotplug);
    qtest_add_func("/x86/pvh/direct/small-pages", test_small_pages);
    qtest_add_func("/x86/pvh/direct/bios-area", test_bios_area);
    qtest_add_data_func("/x86/pvh/direct/option-rom/direct", "direct",
                        test_option_rom);
    qtest_add_data_func("/x86/pvh/direct/option-rom/firmware", "firmware",
                        test_option_rom);
    qtest_add_data_func("/x86/pvh/direct/option-rom/migrated", "migrated",
                        test_option_rom);
    qtest_add_data_func("/x86/pvh/direct/option-rom/resized", "resized",
                        test_option_rom);
    qtest_add_data_func("/x86/pvh/direct/bzimage-pc", "pc",
                        test_bzimage_boot);
    qtest_add_data_func("/x86/pvh/direct/bzimage-q35", "q35",
                        test_bzimage_boot);
    qtest_add_data_func("/x86/pvh/direct/bzimage-no-vga", "pc -vga none",
                        test_bzimage_boot);
    /* The font and screen through the window (Cirrus), or in place */
    qtest_add_data_func("/x86/pvh/direct/bzimage-cirrus", "pc -vga cirrus",
                        test_bzimage_boot);
    qtest_add_data_func("/x86/pvh/direct/bzimage-virtio-vga",
                        "q35 -vga virtio", test_bzimage_boot);
    qtest_add_data_func("/x86/pvh/direct/tables/microvm",
                        "microvm,direct-boot=on", test_no_firmware_tables);
    qtest_add_data_func("/x86/pvh/direct/tables/microvm-acpi-off",
                        "microvm,direct-boot=on,acpi=off",
                        test_no_firmware_tables);
    qtest_add_data_func("/x86/pvh/direct/tables/pc-acpi-off", "pc,acpi=off",
                        test_no_firmware_tables);
    qtest_add_data_func("/x86/pvh/direct/tables/pc", "pc",
                        test_no_firmware_tables);
    return g_test_run();
}
