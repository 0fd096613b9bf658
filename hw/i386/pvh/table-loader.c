/*
 * PVH direct boot: execute QEMU's ACPI table-loader script host-side
 *
 * Firmware used to run the BIOSLinker commands QEMU generates
 * (ALLOCATE, ADD_POINTER, ADD_CHECKSUM, WRITE_POINTER).  With no
 * firmware, QEMU runs them itself: files go into one guest area that the
 * memory map marks ACPI, in command order.  The script comes from QEMU,
 * but it is still checked as if it did not: every offset and length
 * against its file, every name for its NUL, every size and alignment.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "table-loader.h"

enum {
    CMD_ALLOCATE = 1, CMD_ADD_POINTER = 2, CMD_ADD_CHECKSUM = 3,
    CMD_WRITE_POINTER = 4,
    ZONE_HIGH = 1, ZONE_FSEG = 2,
    /* Field offsets inside a command, after its 4-byte type */
    F_NAME1 = 4, F_NAME2 = 4 + PVH_LINKER_FILESZ,
    F_ALLOC_ALIGN = 4 + PVH_LINKER_FILESZ, F_ALLOC_ZONE = F_ALLOC_ALIGN + 4,
    F_PTR_OFFSET = 4 + 2 * PVH_LINKER_FILESZ, F_PTR_SIZE = F_PTR_OFFSET + 4,
    F_CK_OFFSET = 4 + PVH_LINKER_FILESZ, F_CK_START = F_CK_OFFSET + 4,
    F_CK_LENGTH = F_CK_OFFSET + 8,
    F_WP_DST = 4 + 2 * PVH_LINKER_FILESZ, F_WP_SRC = F_WP_DST + 4,
    F_WP_SIZE = F_WP_DST + 8,
};

static PVHAcpiError fail(PVHAcpiLinker *l, PVHAcpiError err,
                         const char *file, uint64_t a, uint64_t b)
{
    g_strlcpy(l->err_file, file ? file : "", sizeof(l->err_file));
    l->err_a = a;
    l->err_b = b;
    return err;
}

static bool in_range(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* The file named at @field of @cmd; NULL with the error set if none */
static PVHAcpiFile *lookup(PVHAcpiLinker *l, const uint8_t *cmd,
                           unsigned field, bool allocated,
                           PVHAcpiError *err)
{
    const char *name = (const char *)cmd + field;
    unsigned i;

    if (!memchr(name, 0, PVH_LINKER_FILESZ)) {
        *err = fail(l, PVH_ACPI_BAD_NAME, NULL, field, 0);
        return NULL;
    }
    for (i = 0; i < l->nr_files; i++) {
        if (!strcmp(l->files[i].name, name)) {
            if (allocated && !l->files[i].addr) {
                *err = fail(l, PVH_ACPI_NOT_ALLOCATED, name, 0, 0);
                return NULL;
            }
            return &l->files[i];
        }
    }
    *err = fail(l, PVH_ACPI_UNKNOWN_FILE, name, 0, 0);
    return NULL;
}

static PVHAcpiError do_allocate(PVHAcpiLinker *l, const uint8_t *cmd)
{
    PVHAcpiError err = PVH_ACPI_OK;
    PVHAcpiFile *f = lookup(l, cmd, F_NAME1, false, &err);
    uint32_t align = ldl_le_p(cmd + F_ALLOC_ALIGN);
    uint8_t zone = cmd[F_ALLOC_ZONE];
    uint64_t at;

    if (!f) {
        return err;
    }
    if (f->addr) {
        return fail(l, PVH_ACPI_ALLOCATED_TWICE, f->name, 0, 0);
    }
    if (align == 0 || (align & (align - 1)) || align > PVH_LINKER_MAX_ALIGN) {
        return fail(l, PVH_ACPI_BAD_ALIGN, f->name, align, 0);
    }
    if (zone != ZONE_HIGH && zone != ZONE_FSEG) {
        return fail(l, PVH_ACPI_BAD_ZONE, f->name, zone, 0);
    }
    if (pvh_table_loader_room(f) == 0) {
        return fail(l, PVH_ACPI_EMPTY_FILE, f->name, 0, 0);
    }
    at = QEMU_ALIGN_UP(l->base + l->used, align) - l->base;
    if (at > l->size || pvh_table_loader_room(f) > l->size - at) {
        return fail(l, PVH_ACPI_NO_ROOM, f->name, pvh_table_loader_room(f),
                    l->size);
    }
    f->addr = l->base + at;
    l->used = at + pvh_table_loader_room(f);
    return PVH_ACPI_OK;
}

static uint64_t ld_n(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n--) {
        v = (v << 8) | p[n];
    }
    return v;
}

static void st_n(uint8_t *p, unsigned n, uint64_t v)
{
    unsigned i;

    for (i = 0; i < n; i++, v >>= 8) {
        p[i] = v;
    }
}

static bool valid_size(uint8_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static PVHAcpiError do_add_pointer(PVHAcpiLinker *l, const uint8_t *cmd)
{
    PVHAcpiError err = PVH_ACPI_OK;
    PVHAcpiFile *dst = lookup(l, cmd, F_NAME1, true, &err);
    PVHAcpiFile *src = dst ? lookup(l, cmd, F_NAME2, true, &err) : NULL;
    uint32_t off = ldl_le_p(cmd + F_PTR_OFFSET);
    uint8_t size = cmd[F_PTR_SIZE];
    uint64_t v, max;

    if (!src) {
        return err;
    }
    if (!valid_size(size)) {
        return fail(l, PVH_ACPI_BAD_SIZE, dst->name, size, 0);
    }
    if (!in_range(off, size, dst->size)) {
        return fail(l, PVH_ACPI_POINTER_OUT_OF_BOUNDS, dst->name, off,
                    dst->size);
    }
    max = size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
    v = ld_n(dst->data + off, size);
    if (src->addr > max || v > max - src->addr) {
        return fail(l, PVH_ACPI_POINTER_OVERFLOW, dst->name, v, src->addr);
    }
    st_n(dst->data + off, size, v + src->addr);
    return PVH_ACPI_OK;
}

static PVHAcpiError do_add_checksum(PVHAcpiLinker *l, const uint8_t *cmd)
{
    PVHAcpiError err = PVH_ACPI_OK;
    PVHAcpiFile *f = lookup(l, cmd, F_NAME1, true, &err);
    uint32_t off = ldl_le_p(cmd + F_CK_OFFSET);
    uint32_t start = ldl_le_p(cmd + F_CK_START);
    uint32_t length = ldl_le_p(cmd + F_CK_LENGTH);
    uint8_t sum = 0;
    uint32_t i;

    if (!f) {
        return err;
    }
    if (off >= f->size || !in_range(start, length, f->size)) {
        return fail(l, PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS, f->name, start,
                    length);
    }
    for (i = 0; i < length; i++) {
        sum += f->data[start + i];
    }
    f->data[off] -= sum;
    return PVH_ACPI_OK;
}

static PVHAcpiError do_write_pointer(PVHAcpiLinker *l, const uint8_t *cmd)
{
    PVHAcpiError err = PVH_ACPI_OK;
    const char *dest = (const char *)cmd + F_NAME1;
    PVHAcpiFile *src;
    uint32_t dst_off = ldl_le_p(cmd + F_WP_DST);
    uint32_t src_off = ldl_le_p(cmd + F_WP_SRC);
    uint8_t size = cmd[F_WP_SIZE];

    if (!memchr(dest, 0, PVH_LINKER_FILESZ)) {
        return fail(l, PVH_ACPI_BAD_NAME, NULL, F_NAME1, 0);
    }
    src = lookup(l, cmd, F_NAME2, true, &err);
    if (!src) {
        return err;
    }
    if (!valid_size(size)) {
        return fail(l, PVH_ACPI_BAD_SIZE, dest, size, 0);
    }
    if (src_off > pvh_table_loader_room(src)) {
        return fail(l, PVH_ACPI_POINTER_OUT_OF_BOUNDS, src->name, src_off,
                    pvh_table_loader_room(src));
    }
    if (!l->write_pointer ||
        !l->write_pointer(l->opaque, dest, dst_off, size,
                          src->addr + src_off)) {
        return fail(l, PVH_ACPI_WRITE_POINTER_FAILED, dest, dst_off, size);
    }
    return PVH_ACPI_OK;
}

static PVHAcpiError do_command(PVHAcpiLinker *l, const uint8_t *cmd)
{
    switch (ldl_le_p(cmd)) {
    case CMD_ALLOCATE:
        return do_allocate(l, cmd);
    case CMD_ADD_POINTER:
        return do_add_pointer(l, cmd);
    case CMD_ADD_CHECKSUM:
        return do_add_checksum(l, cmd);
    case CMD_WRITE_POINTER:
        return do_write_pointer(l, cmd);
    default:
        /*
         * Padding (QEMU pads the script with zeroes to a fixed size) or
         * a command from a newer QEMU: firmware skips both.
         */
        l->skipped++;
        return PVH_ACPI_OK;
    }
}

PVHAcpiError pvh_table_loader_link(PVHAcpiLinker *l, const uint8_t *cmds,
                                   size_t len)
{
    PVHAcpiError err = PVH_ACPI_OK;
    size_t i;

    l->used = 0;
    l->err_cmd = 0;
    l->skipped = 0;
    if (len % PVH_LINKER_CMD_SIZE) {
        return fail(l, PVH_ACPI_BAD_LENGTH, NULL, len, PVH_LINKER_CMD_SIZE);
    }
    for (i = 0; i < len / PVH_LINKER_CMD_SIZE && !err; i++) {
        l->err_cmd = i;
        err = do_command(l, cmds + i * PVH_LINKER_CMD_SIZE);
    }
    return err;
}

char *pvh_table_loader_describe(PVHAcpiError err, const PVHAcpiLinker *l)
{
    static const char *const what[] = {
        [PVH_ACPI_OK] = "no error",
        [PVH_ACPI_BAD_LENGTH] = "script length is not a multiple of 128",
        [PVH_ACPI_BAD_NAME] = "file name is not NUL-terminated",
        [PVH_ACPI_UNKNOWN_FILE] = "unknown file",
        [PVH_ACPI_NOT_ALLOCATED] = "file used before it is allocated",
        [PVH_ACPI_ALLOCATED_TWICE] = "file allocated twice",
        [PVH_ACPI_BAD_ALIGN] = "bad alignment",
        [PVH_ACPI_BAD_ZONE] = "bad zone",
        [PVH_ACPI_EMPTY_FILE] = "empty file",
        [PVH_ACPI_NO_ROOM] = "file does not fit in the ACPI area",
        [PVH_ACPI_BAD_SIZE] = "pointer size is not 1, 2, 4 or 8",
        [PVH_ACPI_POINTER_OUT_OF_BOUNDS] = "pointer outside its file",
        [PVH_ACPI_POINTER_OVERFLOW] = "pointer does not fit its size",
        [PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS] = "checksum range outside its file",
        [PVH_ACPI_WRITE_POINTER_FAILED] = "WRITE_POINTER target refused",
    };

    if ((unsigned)err >= G_N_ELEMENTS(what)) {
        return g_strdup_printf("unknown error %d", err);
    }
    return g_strdup_printf("ACPI linker command %u: %s%s%s%s (0x%" PRIx64
                           ", 0x%" PRIx64 ")", l->err_cmd, what[err],
                           l->err_file[0] ? " '" : "", l->err_file,
                           l->err_file[0] ? "'" : "", l->err_a, l->err_b);
}

/* @len bytes at guest address @addr, if one linked file holds them all */
static const uint8_t *at_guest(const PVHAcpiFile *files, unsigned nr,
                               uint64_t addr, uint64_t len)
{
    unsigned i;

    for (i = 0; i < nr; i++) {
        const PVHAcpiFile *f = &files[i];

        if (f->addr && addr >= f->addr &&
            in_range(addr - f->addr, len, f->size)) {
            return f->data + (addr - f->addr);
        }
    }
    return NULL;
}

/* The FADT's FACS, or 0 */
static uint64_t fadt_facs(const PVHAcpiFile *files, unsigned nr,
                          uint64_t fadt)
{
    const uint8_t *t = at_guest(files, nr, fadt, 36);
    uint32_t len = t ? ldl_le_p(t + 4) : 0;
    uint64_t facs = 0;

    t = len >= 40 ? at_guest(files, nr, fadt, len) : NULL;
    if (!t) {
        return 0;
    }
    if (len >= 140) {
        facs = ldq_le_p(t + 132);           /* X_FIRMWARE_CTRL */
    }
    if (!facs) {
        facs = (uint32_t)ldl_le_p(t + 36);  /* FIRMWARE_CTRL */
    }
    t = at_guest(files, nr, facs, 64);
    return t && !memcmp(t, "FACS", 4) ? facs : 0;
}

/*
 * The XSDT (revision 2 and up) or else the RSDT, whole, and the width
 * of its entries; NULL without an RSDP or a root table that fits
 */
static const uint8_t *root_table(const PVHAcpiFile *files, unsigned nr,
                                 uint64_t rsdp, unsigned *width)
{
    const uint8_t *r = at_guest(files, nr, rsdp, 20), *t;
    uint64_t sdt;

    if (!r || memcmp(r, "RSD PTR ", 8)) {
        return NULL;
    }
    r = r[15] >= 2 ? at_guest(files, nr, rsdp, 36) : NULL;
    sdt = r ? ldq_le_p(r + 24) : 0;
    *width = 8;
    if (!sdt) {
        sdt = (uint32_t)ldl_le_p(at_guest(files, nr, rsdp, 20) + 16);
        *width = 4;
    }
    t = at_guest(files, nr, sdt, 36);
    if (!t || ldl_le_p(t + 4) < 36) {
        return NULL;
    }
    return at_guest(files, nr, sdt, (uint32_t)ldl_le_p(t + 4));
}

uint64_t pvh_table_loader_find_facs(const PVHAcpiFile *files, unsigned nr,
                                    uint64_t rsdp)
{
    unsigned width, i, n;
    const uint8_t *t = root_table(files, nr, rsdp, &width);
    uint64_t entry, facs;

    if (!t) {
        return 0;
    }
    n = (ldl_le_p(t + 4) - 36) / width;
    for (i = 0; i < n; i++) {
        const uint8_t *h;

        entry = width == 8 ? ldq_le_p(t + 36 + i * 8)
                           : (uint32_t)ldl_le_p(t + 36 + i * 4);
        h = at_guest(files, nr, entry, 36);
        if (h && !memcmp(h, "FACP", 4)) {
            facs = fadt_facs(files, nr, entry);
            if (facs) {
                return facs;
            }
        }
    }
    return 0;
}

uint64_t pvh_table_loader_data_end(const uint8_t *data, uint64_t size)
{
    uint64_t word;

    while (size % sizeof(word) && !data[size - 1]) {
        size--;
    }
    if (size % sizeof(word)) {
        return size;
    }
    /* Whole words from here down: the padding goes a word at a time */
    while (size) {
        memcpy(&word, data + size - sizeof(word), sizeof(word));
        if (word) {
            break;
        }
        size -= sizeof(word);
    }
    while (size && !data[size - 1]) {
        size--;
    }
    return size;
}

/* Whether the file name at @field of @cmd is @name */
static bool names(const uint8_t *cmd, unsigned field, const char *name)
{
    const char *n = (const char *)cmd + field;

    return memchr(n, 0, PVH_LINKER_FILESZ) && !strcmp(n, name);
}

uint64_t pvh_table_loader_extent(const uint8_t *cmds, size_t len,
                                 const char *name)
{
    uint64_t end = 0;
    size_t i;

    for (i = 0; i + PVH_LINKER_CMD_SIZE <= len; i += PVH_LINKER_CMD_SIZE) {
        const uint8_t *cmd = cmds + i;
        uint32_t type = ldl_le_p(cmd);
        /* ldl_le_p() is an int: these are unsigned */
        uint64_t ptr = (uint32_t)ldl_le_p(cmd + F_PTR_OFFSET);
        uint64_t ck = (uint32_t)ldl_le_p(cmd + F_CK_OFFSET);
        uint64_t start = (uint32_t)ldl_le_p(cmd + F_CK_START);
        uint64_t length = (uint32_t)ldl_le_p(cmd + F_CK_LENGTH);

        if (type == CMD_ADD_POINTER && names(cmd, F_NAME1, name)) {
            end = MAX(end, ptr + cmd[F_PTR_SIZE]);
        } else if (type == CMD_ADD_CHECKSUM && names(cmd, F_NAME1, name)) {
            end = MAX(end, MAX(ck + 1, start + length));
        }
    }
    return end;
}
