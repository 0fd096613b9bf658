/*
 * PVH direct boot: ELF image parser (pure code, no QEMU state)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_ELF_H
#define HW_I386_PVH_ELF_H

/* Loadable segments we accept in one image (Linux has 4 or 5). */
#define PVH_ELF_MAX_SEGMENTS 32

typedef enum PVHElfError {
    PVH_ELF_OK = 0,
    PVH_ELF_NOT_ELF,            /* no ELF magic: not ours, try another */
    PVH_ELF_NO_NOTE,            /* valid ELF without a PVH note */
    PVH_ELF_TRUNCATED_HEADER,
    PVH_ELF_BAD_CLASS,
    PVH_ELF_BAD_DATA,
    PVH_ELF_BAD_VERSION,
    PVH_ELF_BAD_TYPE,
    PVH_ELF_BAD_MACHINE,
    PVH_ELF_BAD_PHENTSIZE,
    PVH_ELF_NO_PHDRS,
    PVH_ELF_PHDRS_OUTSIDE_FILE,
    PVH_ELF_SEGMENT_OUTSIDE_FILE,
    PVH_ELF_FILESZ_GT_MEMSZ,
    PVH_ELF_SEGMENT_WRAPS,
    PVH_ELF_SEGMENT_ABOVE_4G,
    PVH_ELF_SEGMENTS_OVERLAP,
    PVH_ELF_TOO_MANY_SEGMENTS,
    PVH_ELF_NO_LOAD_SEGMENT,
    PVH_ELF_NOTE_TRUNCATED,
    PVH_ELF_NOTE_BAD_DESCSZ,
    PVH_ELF_DUPLICATE_NOTE,
    PVH_ELF_ENTRY_ZERO,
    PVH_ELF_ENTRY_ABOVE_4G,
    PVH_ELF_ENTRY_OUTSIDE_SEGMENTS,
    PVH_ELF_RELOC_BAD_DESCSZ,
    PVH_ELF_RELOC_BAD_ALIGN,
    PVH_ELF_RELOC_MIN_GT_MAX,
    PVH_ELF_RELOC_NO_ROOM,
    PVH_ELF_DUPLICATE_RELOC,
    PVH_ELF_ERROR_MAX,
} PVHElfError;

typedef struct PVHSegment {
    uint64_t offset;            /* in the file */
    uint64_t paddr;             /* guest-physical load address */
    uint64_t filesz;            /* bytes from the file */
    uint64_t memsz;             /* filesz, then zeroes up to memsz */
} PVHSegment;

typedef struct PVHElfImage {
    bool is64;
    uint16_t machine;
    uint32_t entry;             /* PVH entry, from the note */
    unsigned nr_segments;
    PVHSegment segments[PVH_ELF_MAX_SEGMENTS];
    /*
     * XEN_ELFNOTE_PHYS32_RELOC: the kernel may be loaded at any base that
     * is a multiple of reloc_align, at least reloc_min, with its last
     * byte at most reloc_max; segments and entry move together.
     */
    bool reloc;
    uint32_t reloc_align, reloc_min, reloc_max;
    /*
     * Not from ELF: the bytes past each segment's filesz are the kernel's
     * own scratch space (a bzImage's init_size), reserved but not zeroed
     */
    bool scratch;
    /* Where a failure was found: a segment or note index and two values */
    int err_index;
    uint64_t err_a, err_b;
} PVHElfImage;

/**
 * pvh_elf_parse: read the PVH view of an ELF image
 * @data: the whole file; untrusted, every read is bounds-checked
 * @size: its length in bytes
 * @img: filled on success; on failure holds the error details
 *
 * Returns PVH_ELF_OK, or PVH_ELF_NOT_ELF / PVH_ELF_NO_NOTE for files
 * that are not PVH kernels (the caller may try another format), or
 * another PVHElfError for a malformed image.  Segments come back in
 * file order, with zero-size ones dropped and none overlapping.
 */
PVHElfError pvh_elf_parse(const uint8_t *data, size_t size, PVHElfImage *img);

/**
 * pvh_elf_describe: one line naming the defect, without the file name
 * @err: the result of pvh_elf_parse
 * @img: the image it filled (for the index and values)
 *
 * Returns a newly allocated string for g_free().
 */
char *pvh_elf_describe(PVHElfError err, const PVHElfImage *img);

/* XEN_ELFNOTE_PHYS32_RELOC's defaults, for values the note leaves out */
#define PVH_RELOC_DEFAULT_MIN   0
#define PVH_RELOC_DEFAULT_MAX   0xffffffff

/* The lowest address of the image and the bytes up to its end */
uint64_t pvh_elf_base(const PVHElfImage *img);
uint64_t pvh_elf_span(const PVHElfImage *img);

/**
 * pvh_elf_relocate: move the image's segments and entry by @delta
 * @img: a relocatable image (img->reloc)
 * @delta: where pvh_layout_place() put it, less where it was linked
 */
void pvh_elf_relocate(PVHElfImage *img, int64_t delta);

/* Bytes of one PT_NOTE segment that pvh_elf_snapshot() reads */
#define PVH_ELF_MAX_NOTE_BYTES (1 << 20)

/* Reads @len bytes at file offset @off into @dst; false on a short read */
typedef bool (*PVHElfRead)(void *opaque, uint64_t off, void *dst,
                           uint64_t len);

/**
 * pvh_elf_snapshot: copy the bytes of a file that pvh_elf_parse() reads
 * @buf: @size zeroed bytes that stand for the file
 * @size: the file's size
 * @read: reads from the file
 * @opaque: for @read
 *
 * Fills the ELF header, the program headers and the first
 * PVH_ELF_MAX_NOTE_BYTES of each PT_NOTE segment, each clamped to
 * @size, and leaves the rest of @buf alone.  pvh_elf_parse() on @buf
 * then judges the file without the file being mapped, so that a file
 * that shrinks under QEMU cannot fault it.  Every value used here is
 * untrusted; pvh_elf_parse() still checks them all.
 *
 * Returns false when @read failed.
 */
bool pvh_elf_snapshot(uint8_t *buf, uint64_t size, PVHElfRead read,
                      void *opaque);

#endif
