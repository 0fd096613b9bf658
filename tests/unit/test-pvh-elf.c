/*
 * Unit tests for the PVH ELF parser: well-formed images and oddities
 * that must boot, and one case per malformed-input defect.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh-abi.h"
#include "hw/i386/pvh/pvh-elf.h"
#include "pvh-elf-builder.h"

static PVHElfError parse(const TElf *e, PVHElfImage *img)
{
    /* Parse from an exact-size heap copy so overreads hit a redzone */
    g_autofree uint8_t *copy = g_memdup2(e->data, e->size);

    return pvh_elf_parse(copy, e->size, img);
}

static void test_standard(const void *opaque)
{
    const bool is64 = GPOINTER_TO_INT(opaque) & 1;
    const uint32_t descsz = GPOINTER_TO_INT(opaque) & 2 ? 8 : 4;
    PVHElfImage img;
    TElf e;

    telf_standard(&e, is64, descsz);
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(img.entry, ==, 0x100010);
    g_assert_cmpuint(img.is64, ==, is64);
    g_assert_cmpuint(img.nr_segments, ==, 1);
    g_assert_cmphex(img.segments[0].paddr, ==, 0x100000);
    g_assert_cmphex(img.segments[0].offset, ==, 0x800);
    g_assert_cmphex(img.segments[0].filesz, ==, 0x100);
    g_assert_cmphex(img.segments[0].memsz, ==, 0x2000);
}

/* One mutation of the standard ELF64 image and what it must give */
typedef struct ElfCase {
    const char *name;
    void (*mutate)(TElf *e);
    PVHElfError expect;
    const char *message;        /* substring of pvh_elf_describe() */
} ElfCase;

static void m_empty(TElf *e)
{
    e->size = 0;
}

static void m_three_bytes(TElf *e) { e->size = 3; }
static void m_not_elf(TElf *e) { memcpy(e->data, "MZ\x90\x00", 4); }
static void m_trunc_ident(TElf *e) { e->size = 6; }
static void m_trunc_ehdr(TElf *e) { e->size = 40; }
static void m_class(TElf *e) { e->data[4] = 3; }
static void m_big_endian(TElf *e) { e->data[5] = 2; }
static void m_version(TElf *e)
{
    e->data[6] = 0;
}

static void m_type(TElf *e) { stw_le_p(e->data + 16, 3); }
static void m_machine(TElf *e) { stw_le_p(e->data + 18, 40); }
static void m_phentsize(TElf *e) { stw_le_p(e->data + 54, 64); }
static void m_phnum_zero(TElf *e) { stw_le_p(e->data + 56, 0); }
static void m_phnum_lies(TElf *e) { stw_le_p(e->data + 56, 0xffff); }
static void m_phoff_past_end(TElf *e) { stq_le_p(e->data + 32, 0xffff0); }
static void m_phoff_wrap(TElf *e) { stq_le_p(e->data + 32, UINT64_MAX - 8); }
static void m_trunc_phdrs(TElf *e) { e->size = 100; }

#define PH(e, i) ((e)->data + 64 + (i) * 56)
static void m_seg_offset(TElf *e) { stq_le_p(PH(e, 0) + 8, 0x10000); }
static void m_seg_filesz(TElf *e) { stq_le_p(PH(e, 0) + 32, 0x3000); }
static void m_seg_off_wrap(TElf *e) { stq_le_p(PH(e, 0) + 8, UINT64_MAX); }
static void m_filesz_gt_memsz(TElf *e) { stq_le_p(PH(e, 0) + 40, 0x80); }
static void m_seg_wraps(TElf *e)
{
    stq_le_p(PH(e, 0) + 24, UINT64_MAX - 0x100);
    stq_le_p(PH(e, 0) + 40, 0x1000);
}
static void m_seg_above_4g(TElf *e) { stq_le_p(PH(e, 0) + 24, 1ULL << 32); }
static void m_seg_cross_4g(TElf *e)
{
    stq_le_p(PH(e, 0) + 24, 0xfffff000);
}
static void m_note_off(TElf *e) { stq_le_p(PH(e, 1) + 8, 0x5000); }
static void m_note_namesz_huge(TElf *e)
{
    stl_le_p(e->data + 0x400, 0xfffffff0);
}

static void m_note_descsz_huge(TElf *e)
{
    stl_le_p(e->data + 0x404, 0xfffffffc);
}

static void m_note_trunc(TElf *e) { stq_le_p(PH(e, 1) + 32, 40); }
/* The PVH note is the second: GNU note 12 + 4 + 8 = 24 bytes at 0x400 */
#define XEN_NOTE 0x418
static void m_descsz_2(TElf *e) { stl_le_p(e->data + XEN_NOTE + 4, 2); }
static void m_descsz_16(TElf *e)
{
    stl_le_p(e->data + XEN_NOTE + 4, 16);
    stq_le_p(PH(e, 1) + 32, 0x60);
}
static void m_owner(TElf *e) { memcpy(e->data + XEN_NOTE + 12, "Xem", 3); }
static void m_owner_nonul(TElf *e) { stl_le_p(e->data + XEN_NOTE, 3); }
static void m_entry_zero(TElf *e) { stq_le_p(e->data + XEN_NOTE + 16, 0); }
static void m_entry_above_4g(TElf *e)
{
    stq_le_p(e->data + XEN_NOTE + 16, 0x100100010ULL);
}
static void m_entry_outside(TElf *e)
{
    stq_le_p(e->data + XEN_NOTE + 16, 0x300000);
}
static void m_entry_in_bss_end(TElf *e)
{
    stq_le_p(e->data + XEN_NOTE + 16, 0x102000);
}
static void m_no_load(TElf *e) { stl_le_p(PH(e, 0), 6); }
static void m_overlap(TElf *e)
{
    stl_le_p(PH(e, 1), 1);      /* the note becomes a segment at 0 ... */
    stq_le_p(PH(e, 1) + 24, 0x101000);   /* ... inside the first */
}
static void m_duplicate_note(TElf *e)
{
    stl_le_p(e->data + 0x400 + 8, 18);
    memcpy(e->data + 0x400 + 12, "Xen", 4);
    stl_le_p(e->data + 0x404, 8);
    stq_le_p(e->data + 0x410, 0x100010);
}

static const ElfCase elf_cases[] = {
    { "empty", m_empty, PVH_ELF_NOT_ELF, "not an ELF" },
    { "three-bytes", m_three_bytes, PVH_ELF_NOT_ELF, "not an ELF" },
    { "not-elf", m_not_elf, PVH_ELF_NOT_ELF, "not an ELF" },
    { "truncated-ident", m_trunc_ident, PVH_ELF_TRUNCATED_HEADER, "truncated" },
    { "truncated-ehdr", m_trunc_ehdr, PVH_ELF_TRUNCATED_HEADER, "truncated" },
    { "bad-class", m_class, PVH_ELF_BAD_CLASS, "class 3" },
    { "big-endian", m_big_endian, PVH_ELF_BAD_DATA, "little-endian" },
    { "bad-version", m_version, PVH_ELF_BAD_VERSION, "version 0" },
    { "not-exec", m_type, PVH_ELF_BAD_TYPE, "type 3" },
    { "arm", m_machine, PVH_ELF_BAD_MACHINE, "machine 40" },
    { "phentsize", m_phentsize, PVH_ELF_BAD_PHENTSIZE, "size 64" },
    { "phnum-zero", m_phnum_zero, PVH_ELF_NO_PHDRS, "no program headers" },
    { "phnum-lies", m_phnum_lies, PVH_ELF_PHDRS_OUTSIDE_FILE, "past the end" },
    { "phoff-past-end", m_phoff_past_end, PVH_ELF_PHDRS_OUTSIDE_FILE,
      "offset 0xffff0" },
    { "phoff-wraps", m_phoff_wrap, PVH_ELF_PHDRS_OUTSIDE_FILE, "past the end" },
    { "truncated-phdrs", m_trunc_phdrs, PVH_ELF_PHDRS_OUTSIDE_FILE,
      "past the end" },
    { "segment-offset", m_seg_offset, PVH_ELF_SEGMENT_OUTSIDE_FILE,
      "segment 0 (offset 0x10000" },
    { "segment-filesz", m_seg_filesz, PVH_ELF_SEGMENT_OUTSIDE_FILE,
      "segment 0" },
    { "segment-offset-wraps", m_seg_off_wrap, PVH_ELF_SEGMENT_OUTSIDE_FILE,
      "segment 0" },
    { "filesz-gt-memsz", m_filesz_gt_memsz, PVH_ELF_FILESZ_GT_MEMSZ,
      "exceeds its memory size" },
    { "segment-wraps", m_seg_wraps, PVH_ELF_SEGMENT_WRAPS, "wraps" },
    { "segment-above-4g", m_seg_above_4g, PVH_ELF_SEGMENT_ABOVE_4G,
      "above 4 GiB" },
    { "segment-crosses-4g", m_seg_cross_4g, PVH_ELF_SEGMENT_ABOVE_4G,
      "above 4 GiB" },
    { "note-offset", m_note_off, PVH_ELF_SEGMENT_OUTSIDE_FILE, "segment 1" },
    { "note-namesz-huge", m_note_namesz_huge, PVH_ELF_NOTE_TRUNCATED,
      "namesz 4294967280" },
    { "note-descsz-huge", m_note_descsz_huge, PVH_ELF_NOTE_TRUNCATED,
      "descsz 4294967292" },
    { "note-truncated", m_note_trunc, PVH_ELF_NOTE_TRUNCATED,
      "runs past the end of the segment" },
    { "descsz-2", m_descsz_2, PVH_ELF_NOTE_BAD_DESCSZ, "descsz 2" },
    { "descsz-16", m_descsz_16, PVH_ELF_NOTE_BAD_DESCSZ, "descsz 16" },
    { "wrong-owner", m_owner, PVH_ELF_NO_NOTE, "no PVH entry note" },
    { "owner-without-nul", m_owner_nonul, PVH_ELF_NO_NOTE,
      "no PVH entry note" },
    { "entry-zero", m_entry_zero, PVH_ELF_ENTRY_ZERO, "is 0" },
    { "entry-above-4g", m_entry_above_4g, PVH_ELF_ENTRY_ABOVE_4G,
      "0x100100010 does not fit" },
    { "entry-outside", m_entry_outside, PVH_ELF_ENTRY_OUTSIDE_SEGMENTS,
      "0x300000 is outside" },
    { "entry-at-end", m_entry_in_bss_end, PVH_ELF_ENTRY_OUTSIDE_SEGMENTS,
      "outside" },
    { "no-load-segment", m_no_load, PVH_ELF_NO_LOAD_SEGMENT,
      "no loadable segment" },
    { "overlapping-segments", m_overlap, PVH_ELF_SEGMENTS_OVERLAP,
      "overlaps" },
    { "duplicate-note", m_duplicate_note, PVH_ELF_DUPLICATE_NOTE,
      "more than one" },
};

static void test_malformed(const void *opaque)
{
    const ElfCase *c = opaque;
    g_autofree char *msg = NULL;
    PVHElfImage img;
    TElf e;

    telf_standard(&e, true, 8);
    c->mutate(&e);
    g_assert_cmpint(parse(&e, &img), ==, c->expect);
    msg = pvh_elf_describe(c->expect, &img);
    g_assert_nonnull(strstr(msg, c->message));
    g_assert_null(strchr(msg, '\n'));
}

/* binutils >= 2.36: an 8-aligned PT_NOTE; padding stays 4 bytes */
static void test_note_align8(void)
{
    PVHElfImage img;
    uint8_t entry[8];
    size_t end;
    TElf e;

    stq_le_p(entry, 0x100010);
    telf_init(&e, true);
    end = telf_note(&e, 0x400, "GNU", 4, 5, "\1\2\3\4\5\6\7\0\1\2\3\4", 12);
    end = telf_note(&e, end, "Linux", 6, 1, "abc", 3);
    end = telf_note(&e, end, "Xen", 4, 18, entry, 8);
    telf_add(&e, 1, 0x800, 0x100000, 0x100, 0x100);
    telf_add(&e, 4, 0x400, 0, end - 0x400, end - 0x400);
    e.ph[1].align = 8;
    telf_finish(&e);
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(img.entry, ==, 0x100010);
}

/* Several PT_NOTEs, a PHYS32_RELOC note, p_align 0, bss-only segment */
static void test_oddities(void)
{
    PVHElfImage img;
    uint8_t entry[4], reloc[12];
    size_t end;
    TElf e;

    stl_le_p(entry, 0x1000000);
    stl_le_p(reloc, 0x200000);          /* Linux 6.12's values */
    stl_le_p(reloc + 4, 0x1000000);
    stl_le_p(reloc + 8, 0x3fffffff);
    telf_init(&e, false);
    end = telf_note(&e, 0x400, "Xen", 4, 19, reloc, sizeof(reloc));
    telf_add(&e, 4, 0x400, 0, end - 0x400, end - 0x400);
    end = telf_note(&e, 0x600, "Xen", 4, 18, entry, 4);
    telf_add(&e, 4, 0x600, 0, end - 0x600, end - 0x600);
    telf_add(&e, 1, 0x800, 0x1000000, 0x200, 0x200);
    telf_add(&e, 1, 0, 0x1001000, 0, 0x4000);     /* bss only */
    telf_add(&e, 1, 0, 0x2000000, 0, 0);          /* empty: dropped */
    e.ph[0].align = 0;
    e.ph[2].align = 0;
    telf_finish(&e);
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(img.entry, ==, 0x1000000);
    g_assert_cmpuint(img.nr_segments, ==, 2);
    g_assert_cmphex(img.segments[1].paddr, ==, 0x1001000);
    g_assert_cmphex(img.segments[1].filesz, ==, 0);
    g_assert_cmphex(img.segments[1].memsz, ==, 0x4000);
    g_assert_true(img.reloc);
    g_assert_cmphex(img.reloc_align, ==, 0x200000);
    g_assert_cmphex(img.reloc_min, ==, 0x1000000);
    g_assert_cmphex(img.reloc_max, ==, 0x3fffffff);
}

/* The standard image with a PHYS32_RELOC note of @n bytes from @vals */
static PVHElfError parse_reloc(const uint32_t *vals, size_t n,
                               PVHElfImage *img)
{
    uint8_t desc[16];
    size_t end, i;
    TElf e;

    for (i = 0; i < n / 4; i++) {
        stl_le_p(desc + i * 4, vals[i]);
    }
    telf_standard(&e, true, 8);
    end = telf_note(&e, 0x600, "Xen", 4, 19, desc, n);
    telf_add(&e, 4, 0x600, 0, end - 0x600, end - 0x600);
    telf_finish(&e);
    return parse(&e, img);
}

/* Values left out take Xen's defaults: minimum 0, maximum 4 GiB - 1 */
static void test_reloc_defaults(void)
{
    static const uint32_t v[] = { 0x1000, 0x100000 };
    PVHElfImage img;

    g_assert_cmpint(parse_reloc(v, 4, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(img.reloc_align, ==, 0x1000);
    g_assert_cmphex(img.reloc_min, ==, 0);
    g_assert_cmphex(img.reloc_max, ==, 0xffffffff);
    g_assert_cmpint(parse_reloc(v, 8, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(img.reloc_min, ==, 0x100000);
    g_assert_cmphex(img.reloc_max, ==, 0xffffffff);
}

typedef struct RelocCase {
    const char *name;
    uint32_t vals[4];
    size_t size;
    PVHElfError expect;
    const char *message;
} RelocCase;

static const RelocCase reloc_cases[] = {
    { "descsz-0", { 0 }, 0, PVH_ELF_RELOC_BAD_DESCSZ, "descsz 0" },
    { "descsz-16", { 0x200000, 0, 0xffffffff, 0 }, 16,
      PVH_ELF_RELOC_BAD_DESCSZ, "descsz 16 (expected 4, 8 or 12)" },
    { "align-0", { 0 }, 4, PVH_ELF_RELOC_BAD_ALIGN, "alignment 0x0" },
    { "align-3m", { 0x300000 }, 4, PVH_ELF_RELOC_BAD_ALIGN,
      "alignment 0x300000 is not a power of two" },
    { "align-16", { 16 }, 4, PVH_ELF_RELOC_BAD_ALIGN, "at least 4 KiB" },
    { "min-above-max", { 0x1000, 0x2000000, 0x1000000 }, 12,
      PVH_ELF_RELOC_MIN_GT_MAX, "minimum 0x2000000 above maximum 0x1000000" },
    { "range-too-small", { 0x1000, 0x100000, 0x100fff }, 12,
      PVH_ELF_RELOC_NO_ROOM, "cannot hold the image (0x2000 bytes)" },
    { "align-leaves-no-room", { 0x200000, 0x100000, 0x201000 }, 12,
      PVH_ELF_RELOC_NO_ROOM, "cannot hold the image" },
};

static void test_reloc_malformed(const void *opaque)
{
    const RelocCase *c = opaque;
    g_autofree char *msg = NULL;
    PVHElfImage img;

    g_assert_cmpint(parse_reloc(c->vals, c->size, &img), ==, c->expect);
    msg = pvh_elf_describe(c->expect, &img);
    g_assert_nonnull(strstr(msg, c->message));
}

/* Segments and entry move together */
static void test_relocate(void)
{
    static const uint32_t v[] = { 0x1000, 0, 0xffffffff };
    PVHElfImage img;

    g_assert_cmpint(parse_reloc(v, 12, &img), ==, PVH_ELF_OK);
    g_assert_cmphex(pvh_elf_base(&img), ==, 0x100000);
    g_assert_cmphex(pvh_elf_span(&img), ==, 0x2000);
    pvh_elf_relocate(&img, 0x300000);
    g_assert_cmphex(img.segments[0].paddr, ==, 0x400000);
    g_assert_cmphex(img.entry, ==, 0x400010);
    pvh_elf_relocate(&img, -0x200000);
    g_assert_cmphex(img.segments[0].paddr, ==, 0x200000);
    g_assert_cmphex(img.entry, ==, 0x200010);
}

static void test_no_note(void)
{
    PVHElfImage img;
    TElf e;

    telf_init(&e, true);
    telf_add(&e, 1, 0x800, 0x100000, 0x100, 0x100);
    telf_finish(&e);
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_NO_NOTE);
}

static void test_too_many_segments(void)
{
    PVHElfImage img;
    uint8_t entry[8];
    size_t end;
    unsigned i;
    TElf e;

    stq_le_p(entry, 0x100010);
    telf_init(&e, false);
    end = telf_note(&e, 0x400, "Xen", 4, 18, entry, 8);
    telf_add(&e, 4, 0x400, 0, end - 0x400, end - 0x400);
    telf_finish(&e);
    /* 40 one-page PT_LOADs: more than the parser accepts */
    stw_le_p(e.data + 44, 41);
    stl_le_p(e.data + 28, 0x800);
    memcpy(e.data + 0x800, e.data + 52, 32);
    for (i = 1; i < 41; i++) {
        uint8_t *p = e.data + 0x800 + i * 32;

        stl_le_p(p, 1);
        stl_le_p(p + 8, 0x100000 + i * 0x1000);
        stl_le_p(p + 12, 0x100000 + i * 0x1000);
        stl_le_p(p + 20, 0x1000);
    }
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_TOO_MANY_SEGMENTS);
}

/* Every prefix of a valid image parses to an error, never a crash */
static void test_every_truncation(void)
{
    PVHElfImage img;
    TElf e;
    size_t n, full;

    telf_standard(&e, true, 8);
    full = e.size;
    for (n = 0; n < 0x900; n++) {
        e.size = n;
        g_assert_cmpint(parse(&e, &img), !=, PVH_ELF_OK);
    }
    e.size = full;
    g_assert_cmpint(parse(&e, &img), ==, PVH_ELF_OK);
}

typedef struct SnapReader {
    const TElf *e;
    uint64_t fail_from;         /* reads reaching past this fail */
    unsigned reads;
} SnapReader;

static bool snap_read(void *opaque, uint64_t off, void *dst, uint64_t len)
{
    SnapReader *r = opaque;

    r->reads++;
    g_assert_cmpuint(off + len, <=, r->e->size);
    if (off + len > r->fail_from) {
        return false;
    }
    memcpy(dst, r->e->data + off, len);
    return true;
}

/* Parse @e from a snapshot; false if the snapshot could not be taken */
static bool parse_snapshot(const TElf *e, PVHElfImage *img, PVHElfError *err,
                           uint8_t *snap)
{
    SnapReader r = { .e = e, .fail_from = UINT64_MAX };

    memset(snap, 0, e->size);
    if (!pvh_elf_snapshot(snap, e->size, snap_read, &r)) {
        return false;
    }
    *err = pvh_elf_parse(snap, e->size, img);
    return true;
}

/*
 * A snapshot holds what the parser reads: parsing it gives what parsing
 * the whole file gives, for the standard images, every malformed one
 * and every truncation; the loadable bytes are left out.
 */
static void test_snapshot(void)
{
    PVHElfImage want, got;
    PVHElfError err;
    uint8_t snap[sizeof(((TElf *)0)->data)];
    size_t i, n;
    TElf e;

    for (i = 0; i < 4; i++) {
        telf_standard(&e, i & 1, i & 2 ? 8 : 4);
        g_assert_cmpint(parse(&e, &want), ==, PVH_ELF_OK);
        g_assert_true(parse_snapshot(&e, &got, &err, snap));
        g_assert_cmpint(err, ==, PVH_ELF_OK);
        g_assert_cmpmem(&got, sizeof(got), &want, sizeof(want));
        /* The PT_LOAD's bytes at 0x800 were not read */
        for (n = 0x800; n < 0x900; n++) {
            g_assert_cmpuint(snap[n], ==, 0);
        }
    }
    for (i = 0; i < G_N_ELEMENTS(elf_cases); i++) {
        telf_standard(&e, true, 8);
        elf_cases[i].mutate(&e);
        g_assert_true(parse_snapshot(&e, &got, &err, snap));
        g_assert_cmpint(err, ==, parse(&e, &want));
        g_assert_cmpmem(&got, sizeof(got), &want, sizeof(want));
    }
    telf_standard(&e, true, 8);
    for (n = 0; n < 0x900; n++) {
        TElf t = e;

        t.size = n;
        g_assert_true(parse_snapshot(&t, &got, &err, snap));
        g_assert_cmpint(err, ==, parse(&t, &want));
    }
}

/* A file that shrinks while the snapshot is taken: false, not a fault */
static void test_snapshot_short_read(void)
{
    uint8_t snap[sizeof(((TElf *)0)->data)] = { 0 };
    SnapReader r;
    TElf e;

    telf_standard(&e, true, 8);
    r = (SnapReader) { .e = &e, .fail_from = 0x40 };
    g_assert_false(pvh_elf_snapshot(snap, e.size, snap_read, &r));
    /* the PT_NOTE is at 0x400 */
    r = (SnapReader) { .e = &e, .fail_from = 0x400 };
    g_assert_false(pvh_elf_snapshot(snap, e.size, snap_read, &r));
    r = (SnapReader) { .e = &e, .fail_from = UINT64_MAX };
    g_assert_true(pvh_elf_snapshot(snap, e.size, snap_read, &r));
    /* The header, the program headers, one note */
    g_assert_cmpuint(r.reads, ==, 3);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/pvh-elf/elf32-desc4", GINT_TO_POINTER(0),
                         test_standard);
    g_test_add_data_func("/pvh-elf/elf32-desc8", GINT_TO_POINTER(2),
                         test_standard);
    g_test_add_data_func("/pvh-elf/elf64-desc4", GINT_TO_POINTER(1),
                         test_standard);
    g_test_add_data_func("/pvh-elf/elf64-desc8", GINT_TO_POINTER(3),
                         test_standard);
    g_test_add_func("/pvh-elf/note-align8", test_note_align8);
    g_test_add_func("/pvh-elf/oddities", test_oddities);
    g_test_add_func("/pvh-elf/no-note", test_no_note);
    g_test_add_func("/pvh-elf/too-many-segments", test_too_many_segments);
    g_test_add_func("/pvh-elf/every-truncation", test_every_truncation);
    g_test_add_func("/pvh-elf/snapshot", test_snapshot);
    g_test_add_func("/pvh-elf/reloc-defaults", test_reloc_defaults);
    g_test_add_func("/pvh-elf/relocate", test_relocate);
    for (i = 0; i < G_N_ELEMENTS(reloc_cases); i++) {
        g_autofree char *path = g_strdup_printf("/pvh-elf/reloc/%s",
                                                reloc_cases[i].name);

        g_test_add_data_func(path, &reloc_cases[i], test_reloc_malformed);
    }
    g_test_add_func("/pvh-elf/snapshot-short-read", test_snapshot_short_read);
    for (i = 0; i < G_N_ELEMENTS(elf_cases); i++) {
        g_autofree char *path = g_strdup_printf("/pvh-elf/malformed/%s",
                                                elf_cases[i].name);

        g_test_add_data_func(path, &elf_cases[i], test_malformed);
    }
    return g_test_run();
}
