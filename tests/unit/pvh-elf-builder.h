/*
 * Build small ELF images in memory for the PVH parser tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PVH_TEST_ELF_BUILDER_H
#define PVH_TEST_ELF_BUILDER_H

#include "qemu/osdep.h"
#include "qemu/bswap.h"

typedef struct TPhdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz, align;
} TPhdr;

typedef struct TElf {
    bool is64;
    uint16_t machine;
    unsigned nr_ph;
    TPhdr ph[8];
    size_t size;
    uint8_t data[0x4000];
} TElf;

static inline void telf_init(TElf *e, bool is64)
{
    memset(e, 0, sizeof(*e));
    e->is64 = is64;
    e->machine = is64 ? 62 : 3;
    e->size = 0x1000;
}

static inline void telf_add(TElf *e, uint32_t type, uint64_t offset,
                            uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    e->ph[e->nr_ph++] = (TPhdr) { type, offset, paddr, filesz, memsz, 4 };
}

/* Write a note at @off; returns the offset after it */
static inline size_t telf_note(TElf *e, size_t off, const char *name,
                               uint32_t namesz, uint32_t type,
                               const void *desc, uint32_t descsz)
{
    stl_le_p(e->data + off, namesz);
    stl_le_p(e->data + off + 4, descsz);
    stl_le_p(e->data + off + 8, type);
    memcpy(e->data + off + 12, name, MIN(namesz, strlen(name) + 1));
    off += 12 + QEMU_ALIGN_UP(namesz, 4);
    memcpy(e->data + off, desc, descsz);
    return off + QEMU_ALIGN_UP(descsz, 4);
}

/* Serialise headers into e->data */
static inline void telf_finish(TElf *e)
{
    uint8_t *d = e->data;
    size_t phsz = e->is64 ? 56 : 32, phoff = e->is64 ? 64 : 52;
    unsigned i;

    memcpy(d, "\177ELF", 4);
    d[4] = e->is64 ? 2 : 1;
    d[5] = 1;
    d[6] = 1;
    stw_le_p(d + 16, 2);
    stw_le_p(d + 18, e->machine);
    stl_le_p(d + 20, 1);
    if (e->is64) {
        stq_le_p(d + 32, phoff);
        stw_le_p(d + 52, 64);
        stw_le_p(d + 54, phsz);
        stw_le_p(d + 56, e->nr_ph);
    } else {
        stl_le_p(d + 28, phoff);
        stw_le_p(d + 40, 52);
        stw_le_p(d + 42, phsz);
        stw_le_p(d + 44, e->nr_ph);
    }
    for (i = 0; i < e->nr_ph; i++) {
        uint8_t *p = d + phoff + i * phsz;
        const TPhdr *h = &e->ph[i];

        stl_le_p(p, h->type);
        if (e->is64) {
            stq_le_p(p + 8, h->offset);
            stq_le_p(p + 16, h->paddr);
            stq_le_p(p + 24, h->paddr);
            stq_le_p(p + 32, h->filesz);
            stq_le_p(p + 40, h->memsz);
            stq_le_p(p + 48, h->align);
        } else {
            stl_le_p(p + 4, h->offset);
            stl_le_p(p + 8, h->paddr);
            stl_le_p(p + 12, h->paddr);
            stl_le_p(p + 16, h->filesz);
            stl_le_p(p + 20, h->memsz);
            stl_le_p(p + 28, h->align);
        }
    }
}

/*
 * The standard image: one PT_LOAD of 0x100 bytes (memsz 0x2000) at
 * 1 MiB from offset 0x800, a PT_NOTE at 0x400 holding a GNU note and
 * then the PVH note (entry 1 MiB + 0x10, desc of @descsz bytes).
 */
static inline void telf_standard(TElf *e, bool is64, uint32_t descsz)
{
    uint8_t entry[8];
    size_t end;

    stq_le_p(entry, 0x100010);
    telf_init(e, is64);
    end = telf_note(e, 0x400, "GNU", 4, 3, "\x01\x02\x03\x04\x05", 5);
    end = telf_note(e, end, "Xen", 4, 18, entry, descsz);
    telf_add(e, 1, 0x800, 0x100000, 0x100, 0x2000);
    telf_add(e, 4, 0x400, 0, end - 0x400, end - 0x400);
    telf_finish(e);
}

#endif
