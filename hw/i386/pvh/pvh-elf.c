/*
 * PVH direct boot: ELF image parser
 *
 * Trust model: @data and @size describe a file a user handed us, and
 * nothing in it is trusted.  Every read goes through pvh_in_file(),
 * whose check is written as subtractions so it cannot overflow.  The
 * parser keeps no state outside the PVHElfImage it fills.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh-abi.h"
#include "pvh-elf.h"

/* ELF constants (the values of include/elf.h, restated: no QEMU here) */
enum {
    EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6,
    ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1,
    ET_EXEC = 2, EM_386 = 3, EM_X86_64 = 62,
    PT_LOAD = 1, PT_NOTE = 4,
    NOTE_HDR_SIZE = 12,
};

/* Field offsets and sizes that differ between the two classes */
typedef struct ElfLayout {
    size_t ehdr_size, phdr_size;
    size_t e_entry, e_phoff, e_phentsize, e_phnum;
    size_t p_offset, p_paddr, p_filesz, p_memsz;
    unsigned word;              /* 4 or 8 */
} ElfLayout;

static const ElfLayout elf32_layout = {
    .ehdr_size = 52, .phdr_size = 32,
    .e_entry = 24, .e_phoff = 28, .e_phentsize = 42, .e_phnum = 44,
    .p_offset = 4, .p_paddr = 12, .p_filesz = 16, .p_memsz = 20,
    .word = 4,
};

static const ElfLayout elf64_layout = {
    .ehdr_size = 64, .phdr_size = 56,
    .e_entry = 24, .e_phoff = 32, .e_phentsize = 54, .e_phnum = 56,
    .p_offset = 8, .p_paddr = 24, .p_filesz = 32, .p_memsz = 40,
    .word = 8,
};

/* Is [off, off + len) inside a buffer of @size bytes?  Overflow-free. */
static bool pvh_in_file(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static uint64_t ld_word(const ElfLayout *l, const uint8_t *p)
{
    return l->word == 8 ? ldq_le_p(p) : (uint32_t)ldl_le_p(p);
}

static PVHElfError fail(PVHElfImage *img, PVHElfError err, int index,
                        uint64_t a, uint64_t b)
{
    img->err_index = index;
    img->err_a = a;
    img->err_b = b;
    return err;
}

static PVHElfError check_ident(const uint8_t *data, size_t size,
                               PVHElfImage *img, const ElfLayout **layout)
{
    if (size < 4 || memcmp(data, "\177ELF", 4) != 0) {
        return PVH_ELF_NOT_ELF;
    }
    if (size < EI_VERSION + 1) {
        return fail(img, PVH_ELF_TRUNCATED_HEADER, -1, size, 16);
    }
    if (data[EI_CLASS] != ELFCLASS32 && data[EI_CLASS] != ELFCLASS64) {
        return fail(img, PVH_ELF_BAD_CLASS, -1, data[EI_CLASS], 0);
    }
    *layout = data[EI_CLASS] == ELFCLASS64 ? &elf64_layout : &elf32_layout;
    img->is64 = data[EI_CLASS] == ELFCLASS64;
    if (size < (*layout)->ehdr_size) {
        return fail(img, PVH_ELF_TRUNCATED_HEADER, -1, size,
                    (*layout)->ehdr_size);
    }
    if (data[EI_DATA] != ELFDATA2LSB) {
        return fail(img, PVH_ELF_BAD_DATA, -1, data[EI_DATA], 0);
    }
    if (data[EI_VERSION] != EV_CURRENT) {
        return fail(img, PVH_ELF_BAD_VERSION, -1, data[EI_VERSION], 0);
    }
    return PVH_ELF_OK;
}

static PVHElfError check_ehdr(const uint8_t *data, size_t size,
                              const ElfLayout *l, PVHElfImage *img)
{
    uint16_t type = lduw_le_p(data + 16);
    uint64_t phoff = ld_word(l, data + l->e_phoff);
    uint16_t phentsize = lduw_le_p(data + l->e_phentsize);
    uint16_t phnum = lduw_le_p(data + l->e_phnum);

    img->machine = lduw_le_p(data + 18);
    if (type != ET_EXEC) {
        return fail(img, PVH_ELF_BAD_TYPE, -1, type, 0);
    }
    if (img->machine != EM_386 && img->machine != EM_X86_64) {
        return fail(img, PVH_ELF_BAD_MACHINE, -1, img->machine, 0);
    }
    if (phnum == 0) {
        return fail(img, PVH_ELF_NO_PHDRS, -1, 0, 0);
    }
    if (phentsize != l->phdr_size) {
        return fail(img, PVH_ELF_BAD_PHENTSIZE, -1, phentsize, l->phdr_size);
    }
    if (!pvh_in_file(phoff, (uint64_t)phnum * phentsize, size)) {
        return fail(img, PVH_ELF_PHDRS_OUTSIDE_FILE, -1, phoff,
                    (uint64_t)phnum * phentsize);
    }
    return PVH_ELF_OK;
}

/*
 * Read the entry from one note's descriptor.  Linux x86-64 emits an
 * 8-byte desc (_ASM_PTR), the ABI's example a 4-byte one.
 */
static PVHElfError read_entry(const uint8_t *desc, uint32_t descsz,
                              int index, PVHElfImage *img)
{
    uint64_t entry;

    if (descsz != 4 && descsz != 8) {
        return fail(img, PVH_ELF_NOTE_BAD_DESCSZ, index, descsz, 0);
    }
    entry = descsz == 8 ? ldq_le_p(desc) : (uint32_t)ldl_le_p(desc);
    if (entry > UINT32_MAX) {
        return fail(img, PVH_ELF_ENTRY_ABOVE_4G, index, entry, 0);
    }
    if (entry == 0) {
        return fail(img, PVH_ELF_ENTRY_ZERO, index, 0, 0);
    }
    img->entry = entry;
    return PVH_ELF_OK;
}

/*
 * XEN_ELFNOTE_PHYS32_RELOC: up to three u32, alignment, minimum start,
 * maximum last byte; defaults for those left out.
 */
static PVHElfError read_reloc(const uint8_t *desc, uint32_t descsz,
                              int index, PVHElfImage *img)
{
    if (img->reloc) {
        return fail(img, PVH_ELF_DUPLICATE_RELOC, index, 0, 0);
    }
    if (descsz != 4 && descsz != 8 && descsz != 12) {
        return fail(img, PVH_ELF_RELOC_BAD_DESCSZ, index, descsz, 0);
    }
    img->reloc_align = ldl_le_p(desc);
    img->reloc_min = descsz >= 8 ? (uint32_t)ldl_le_p(desc + 4)
                                 : PVH_RELOC_DEFAULT_MIN;
    img->reloc_max = descsz >= 12 ? (uint32_t)ldl_le_p(desc + 8)
                                  : PVH_RELOC_DEFAULT_MAX;
    if (img->reloc_align < 0x1000 ||
        (img->reloc_align & (img->reloc_align - 1))) {
        return fail(img, PVH_ELF_RELOC_BAD_ALIGN, index, img->reloc_align, 0);
    }
    if (img->reloc_min > img->reloc_max) {
        return fail(img, PVH_ELF_RELOC_MIN_GT_MAX, index, img->reloc_min,
                    img->reloc_max);
    }
    img->reloc = true;
    return PVH_ELF_OK;
}

/* A "Xen" note: the two that PVH boot reads, once each; others pass */
static PVHElfError read_xen_note(uint32_t type, const uint8_t *desc,
                                 uint32_t descsz, int index,
                                 PVHElfImage *img, bool *found)
{
    if (type == PVH_NOTE_PHYS32_RELOC) {
        return read_reloc(desc, descsz, index, img);
    }
    if (type != PVH_NOTE_PHYS32_ENTRY) {
        return PVH_ELF_OK;
    }
    if (*found) {
        return fail(img, PVH_ELF_DUPLICATE_NOTE, index, 0, 0);
    }
    *found = true;
    return read_entry(desc, descsz, index, img);
}

/*
 * Walk the notes of one PT_NOTE segment.  Name and desc are padded to
 * 4 bytes whatever p_align says (binutils >= 2.36 emits 8-aligned note
 * segments for .note.gnu.property).  Each step advances by at least 12
 * bytes, so the walk ends; every length is checked against what is
 * left of the segment before it is used.
 */
static PVHElfError walk_notes(const uint8_t *p, uint64_t len, int index,
                              PVHElfImage *img, bool *found)
{
    while (len >= NOTE_HDR_SIZE) {
        uint32_t namesz = ldl_le_p(p);
        uint32_t descsz = ldl_le_p(p + 4);
        uint32_t type = ldl_le_p(p + 8);
        uint64_t name_pad = QEMU_ALIGN_UP((uint64_t)namesz, 4);
        uint64_t desc_pad = QEMU_ALIGN_UP((uint64_t)descsz, 4);
        const uint8_t *name = p + NOTE_HDR_SIZE;
        uint64_t left = len - NOTE_HDR_SIZE;

        if (name_pad > left || desc_pad > left - name_pad) {
            return fail(img, PVH_ELF_NOTE_TRUNCATED, index, namesz, descsz);
        }
        if (namesz == PVH_NOTE_OWNER_SIZE &&
            memcmp(name, PVH_NOTE_OWNER, PVH_NOTE_OWNER_SIZE) == 0) {
            PVHElfError err = read_xen_note(type, name + name_pad, descsz,
                                            index, img, found);

            if (err) {
                return err;
            }
        }
        p += NOTE_HDR_SIZE + name_pad + desc_pad;
        len = left - name_pad - desc_pad;
    }
    return PVH_ELF_OK;
}

/* A segment of @img that @s overlaps in memory, or NULL */
static const PVHSegment *overlapping(const PVHElfImage *img,
                                     const PVHSegment *s)
{
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        const PVHSegment *o = &img->segments[i];

        if (s->paddr < o->paddr + o->memsz && o->paddr < s->paddr + s->memsz) {
            return o;
        }
    }
    return NULL;
}

static PVHElfError add_segment(const uint8_t *ph, size_t size,
                               const ElfLayout *l, int index,
                               PVHElfImage *img)
{
    PVHSegment s = {
        .offset = ld_word(l, ph + l->p_offset),
        .paddr = ld_word(l, ph + l->p_paddr),
        .filesz = ld_word(l, ph + l->p_filesz),
        .memsz = ld_word(l, ph + l->p_memsz),
    };
    const PVHSegment *o;

    if (!pvh_in_file(s.offset, s.filesz, size)) {
        return fail(img, PVH_ELF_SEGMENT_OUTSIDE_FILE, index, s.offset,
                    s.filesz);
    }
    if (s.filesz > s.memsz) {
        return fail(img, PVH_ELF_FILESZ_GT_MEMSZ, index, s.filesz, s.memsz);
    }
    if (s.memsz == 0) {
        return PVH_ELF_OK;
    }
    if (s.memsz - 1 > UINT64_MAX - s.paddr) {
        return fail(img, PVH_ELF_SEGMENT_WRAPS, index, s.paddr, s.memsz);
    }
    /* The kernel is entered with paging off: it must sit below 4 GiB. */
    if (s.paddr > (1ULL << 32) || s.memsz > (1ULL << 32) - s.paddr) {
        return fail(img, PVH_ELF_SEGMENT_ABOVE_4G, index, s.paddr, s.memsz);
    }
    o = overlapping(img, &s);
    if (o) {
        return fail(img, PVH_ELF_SEGMENTS_OVERLAP, index, s.paddr, o->paddr);
    }
    if (img->nr_segments == PVH_ELF_MAX_SEGMENTS) {
        return fail(img, PVH_ELF_TOO_MANY_SEGMENTS, index,
                    PVH_ELF_MAX_SEGMENTS, 0);
    }
    img->segments[img->nr_segments++] = s;
    return PVH_ELF_OK;
}

static PVHElfError walk_phdrs(const uint8_t *data, size_t size,
                              const ElfLayout *l, PVHElfImage *img,
                              bool *found)
{
    uint64_t phoff = ld_word(l, data + l->e_phoff);
    uint16_t phnum = lduw_le_p(data + l->e_phnum);
    PVHElfError err = PVH_ELF_OK;
    int i;

    for (i = 0; i < phnum && !err; i++) {
        const uint8_t *ph = data + phoff + (uint64_t)i * l->phdr_size;
        uint64_t off = ld_word(l, ph + l->p_offset);
        uint64_t filesz = ld_word(l, ph + l->p_filesz);

        switch (ldl_le_p(ph)) {
        case PT_LOAD:
            err = add_segment(ph, size, l, i, img);
            break;
        case PT_NOTE:
            if (!pvh_in_file(off, filesz, size)) {
                return fail(img, PVH_ELF_SEGMENT_OUTSIDE_FILE, i, off, filesz);
            }
            err = walk_notes(data + off, filesz, i, img, found);
            break;
        }
    }
    return err;
}

static PVHElfError check_entry(PVHElfImage *img)
{
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        const PVHSegment *s = &img->segments[i];

        if (img->entry >= s->paddr && img->entry - s->paddr < s->memsz) {
            return PVH_ELF_OK;
        }
    }
    return fail(img, PVH_ELF_ENTRY_OUTSIDE_SEGMENTS, -1, img->entry, 0);
}

uint64_t pvh_elf_base(const PVHElfImage *img)
{
    uint64_t base = UINT64_MAX;
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        base = MIN(base, img->segments[i].paddr);
    }
    return base;
}

uint64_t pvh_elf_span(const PVHElfImage *img)
{
    uint64_t end = 0;
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        end = MAX(end, img->segments[i].paddr + img->segments[i].memsz);
    }
    return end - pvh_elf_base(img);
}

void pvh_elf_relocate(PVHElfImage *img, int64_t delta)
{
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        img->segments[i].paddr += delta;
    }
    img->entry += delta;
}

/* Can a base in the note's range hold the whole image? */
static PVHElfError check_reloc(PVHElfImage *img)
{
    uint64_t first, span;

    if (!img->reloc) {
        return PVH_ELF_OK;
    }
    first = QEMU_ALIGN_UP((uint64_t)img->reloc_min, img->reloc_align);
    span = pvh_elf_span(img);
    if (first > img->reloc_max || span > (uint64_t)img->reloc_max - first + 1) {
        return fail(img, PVH_ELF_RELOC_NO_ROOM, -1, span,
                    (uint64_t)img->reloc_max - img->reloc_min + 1);
    }
    return PVH_ELF_OK;
}

PVHElfError pvh_elf_parse(const uint8_t *data, size_t size, PVHElfImage *img)
{
    const ElfLayout *l = NULL;
    PVHElfError err;
    bool found = false;

    memset(img, 0, sizeof(*img));
    img->err_index = -1;
    err = check_ident(data, size, img, &l);
    if (!err) {
        err = check_ehdr(data, size, l, img);
    }
    if (!err) {
        err = walk_phdrs(data, size, l, img, &found);
    }
    if (err) {
        return err;
    }
    if (!found) {
        return PVH_ELF_NO_NOTE;
    }
    if (img->nr_segments == 0) {
        return fail(img, PVH_ELF_NO_LOAD_SEGMENT, -1, 0, 0);
    }
    err = check_entry(img);
    return err ? err : check_reloc(img);
}

/*
 * A message table, one case per error with its details: longer than
 * the 40 lines a pure function gets, on purpose (one place to read
 * every message).
 */
char *pvh_elf_describe(PVHElfError err, const PVHElfImage *img)
{
    int i = img->err_index;
    uint64_t a = img->err_a, b = img->err_b;

    switch (err) {
    case PVH_ELF_OK:
        return g_strdup("no error");
    case PVH_ELF_NOT_ELF:
        return g_strdup("not an ELF image");
    case PVH_ELF_NO_NOTE:
        return g_strdup("ELF image has no PVH entry note "
                        "(XEN_ELFNOTE_PHYS32_ENTRY)");
    case PVH_ELF_TRUNCATED_HEADER:
        return g_strdup_printf("ELF header truncated (file is %" PRIu64
                               " bytes, header needs %" PRIu64 ")", a, b);
    case PVH_ELF_BAD_CLASS:
        return g_strdup_printf("unknown ELF class %" PRIu64, a);
    case PVH_ELF_BAD_DATA:
        return g_strdup_printf("ELF data encoding %" PRIu64
                               " is not little-endian", a);
    case PVH_ELF_BAD_VERSION:
        return g_strdup_printf("unknown ELF version %" PRIu64, a);
    case PVH_ELF_BAD_TYPE:
        return g_strdup_printf("ELF type %" PRIu64 " is not an executable",
                               a);
    case PVH_ELF_BAD_MACHINE:
        return g_strdup_printf("ELF machine %" PRIu64 " is not x86", a);
    case PVH_ELF_BAD_PHENTSIZE:
        return g_strdup_printf("program header size %" PRIu64
                               " (expected %" PRIu64 ")", a, b);
    case PVH_ELF_NO_PHDRS:
        return g_strdup("ELF image has no program headers");
    case PVH_ELF_PHDRS_OUTSIDE_FILE:
        return g_strdup_printf("program headers (offset 0x%" PRIx64
                               ", 0x%" PRIx64 " bytes) run past the end "
                               "of the file", a, b);
    case PVH_ELF_SEGMENT_OUTSIDE_FILE:
        return g_strdup_printf("segment %d (offset 0x%" PRIx64 ", 0x%" PRIx64
                               " bytes) runs past the end of the file",
                               i, a, b);
    case PVH_ELF_FILESZ_GT_MEMSZ:
        return g_strdup_printf("segment %d file size 0x%" PRIx64
                               " exceeds its memory size 0x%" PRIx64, i, a, b);
    case PVH_ELF_SEGMENT_WRAPS:
        return g_strdup_printf("segment %d (address 0x%" PRIx64 ", 0x%" PRIx64
                               " bytes) wraps the address space", i, a, b);
    case PVH_ELF_SEGMENT_ABOVE_4G:
        return g_strdup_printf("segment %d (address 0x%" PRIx64 ", 0x%" PRIx64
                               " bytes) ends above 4 GiB", i, a, b);
    case PVH_ELF_SEGMENTS_OVERLAP:
        return g_strdup_printf("segment %d at 0x%" PRIx64 " overlaps the "
                               "segment at 0x%" PRIx64, i, a, b);
    case PVH_ELF_TOO_MANY_SEGMENTS:
        return g_strdup_printf("more than %" PRIu64 " loadable segments", a);
    case PVH_ELF_NO_LOAD_SEGMENT:
        return g_strdup("ELF image has no loadable segment");
    case PVH_ELF_NOTE_TRUNCATED:
        return g_strdup_printf("note in segment %d (namesz %" PRIu64
                               ", descsz %" PRIu64 ") runs past the end "
                               "of the segment", i, a, b);
    case PVH_ELF_NOTE_BAD_DESCSZ:
        return g_strdup_printf("PVH entry note has descsz %" PRIu64
                               " (expected 4 or 8)", a);
    case PVH_ELF_DUPLICATE_NOTE:
        return g_strdup("more than one PVH entry note");
    case PVH_ELF_ENTRY_ZERO:
        return g_strdup("PVH entry point is 0");
    case PVH_ELF_ENTRY_ABOVE_4G:
        return g_strdup_printf("PVH entry point 0x%" PRIx64
                               " does not fit in 32 bits", a);
    case PVH_ELF_ENTRY_OUTSIDE_SEGMENTS:
        return g_strdup_printf("PVH entry point 0x%" PRIx64
                               " is outside every loaded segment", a);
    case PVH_ELF_RELOC_BAD_DESCSZ:
        return g_strdup_printf("PVH relocation note has descsz %" PRIu64
                               " (expected 4, 8 or 12)", a);
    case PVH_ELF_RELOC_BAD_ALIGN:
        return g_strdup_printf("PVH relocation alignment 0x%" PRIx64
                               " is not a power of two of at least 4 KiB", a);
    case PVH_ELF_RELOC_MIN_GT_MAX:
        return g_strdup_printf("PVH relocation range is empty: minimum 0x%"
                               PRIx64 " above maximum 0x%" PRIx64, a, b);
    case PVH_ELF_RELOC_NO_ROOM:
        return g_strdup_printf("PVH relocation range (0x%" PRIx64 " bytes) "
                               "cannot hold the image (0x%" PRIx64 " bytes)",
                               b, a);
    case PVH_ELF_DUPLICATE_RELOC:
        return g_strdup("more than one PVH relocation note");
    case PVH_ELF_ERROR_MAX:
        break;
    }
    return g_strdup_printf("unknown error %d", err);
}

/* Fill [off, off + len) of @buf, clamped to the file's @size bytes */
static bool snapshot_range(uint8_t *buf, uint64_t size, uint64_t off,
                           uint64_t len, PVHElfRead read, void *opaque)
{
    if (off >= size) {
        return true;
    }
    len = MIN(len, size - off);
    return len == 0 || read(opaque, off, buf + off, len);
}

bool pvh_elf_snapshot(uint8_t *buf, uint64_t size, PVHElfRead read,
                      void *opaque)
{
    const ElfLayout *l;
    uint64_t phoff;
    uint16_t phnum, phentsize;
    unsigned i;

    if (!snapshot_range(buf, size, 0, elf64_layout.ehdr_size, read, opaque)) {
        return false;
    }
    if (size < elf64_layout.ehdr_size || memcmp(buf, "\177ELF", 4) != 0 ||
        (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)) {
        return true;            /* pvh_elf_parse() says what is wrong */
    }
    l = buf[EI_CLASS] == ELFCLASS64 ? &elf64_layout : &elf32_layout;
    phoff = ld_word(l, buf + l->e_phoff);
    phentsize = lduw_le_p(buf + l->e_phentsize);
    phnum = lduw_le_p(buf + l->e_phnum);
    if (phentsize != l->phdr_size) {
        return true;
    }
    if (!snapshot_range(buf, size, phoff, (uint64_t)phnum * phentsize,
                        read, opaque)) {
        return false;
    }
    for (i = 0; i < phnum && pvh_in_file(phoff, (uint64_t)(i + 1) * phentsize,
                                         size); i++) {
        const uint8_t *ph = buf + phoff + (uint64_t)i * phentsize;

        if (ldl_le_p(ph) == PT_NOTE &&
            !snapshot_range(buf, size, ld_word(l, ph + l->p_offset),
                            MIN(ld_word(l, ph + l->p_filesz),
                                PVH_ELF_MAX_NOTE_BYTES), read, opaque)) {
            return false;
        }
    }
    return true;
}
