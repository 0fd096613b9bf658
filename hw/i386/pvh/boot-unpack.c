/*
 * Direct kernel boot: a bzImage's payload unpacked by QEMU and entered
 * through PVH (QEMU glue)
 *
 * With pvh-unpack=on, QEMU does the work of a bzImage's decompressor:
 * it unpacks the payload (the compressed ELF vmlinux that
 * payload_offset and payload_length of the setup header point at) into
 * host memory and boots that ELF through its PVH note, as boot-pvh.c
 * boots a vmlinux file.  Under TCG the decompressor is most of a
 * bzImage's time to init; under KVM it is not.
 *
 * What it costs: the unpacked ELF stays in host memory (a memfd) for
 * the resets to load from; the decompressor's KASLR does not run
 * (pvh-kaslr=on moves kernels that carry XEN_ELFNOTE_PHYS32_RELOC); the
 * kernel must be built with CONFIG_PVH; gzip needs zlib, XZ liblzma and
 * ZSTD libzstd (QEMU's --enable-lzma and --enable-zstd).  The bzImage
 * file is followed as any kernel file is (platform.c): when it changed,
 * the next reset unpacks it again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/memfd.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "platform.h"
#include "boot-pvh.h"
#include "boot-linux.h"
#include "boot-unpack.h"
#include "trace.h"
#include <zlib.h>
#ifdef CONFIG_LZMA
#include <lzma.h>
#endif
#ifdef CONFIG_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

/* The largest unpacked kernel accepted, and liblzma's memory for it */
#define PVH_UNPACK_MAX          (1 * GiB)
#define PVH_UNPACK_XZ_MEMLIMIT  (256 * MiB)

#define PVH_UNPACK_TOO_BIG      "unpacks to more bytes than its size " \
                                "trailer says"
#define PVH_UNPACK_CORRUPT      "is corrupt or truncated"

/* What pvh_unpack_fn() knows, for messages */
static const char pvh_unpack_formats[] = "gzip"
#ifdef CONFIG_LZMA
    ", XZ"
#endif
#ifdef CONFIG_ZSTD
    ", ZSTD"
#endif
    " only";

typedef struct PVHUnpackState {
    PVHFile elf;                /* a memfd; fd -1 until the first unpack */
    struct stat from;           /* the kernel file it was unpacked from */
} PVHUnpackState;

/*
 * Each unpacks @in into @out, at most *@out_len bytes, and sets
 * *@out_len to the bytes it wrote.  Returns NULL, or what went wrong.
 */
typedef const char *PVHUnpackFn(const uint8_t *in, size_t in_len,
                                uint8_t *out, size_t *out_len);

static const char *pvh_unpack_gzip(const uint8_t *in, size_t in_len,
                                   uint8_t *out, size_t *out_len)
{
    z_stream z = {
        .next_in = (Bytef *)in, .avail_in = in_len,
        .next_out = out, .avail_out = *out_len,
    };
    int ret;

    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        return "cannot be unpacked: zlib did not start";
    }
    ret = inflate(&z, Z_FINISH);
    *out_len = z.total_out;
    inflateEnd(&z);
    if (ret == Z_STREAM_END) {
        return NULL;
    }
    return ret == Z_BUF_ERROR && !z.avail_out ? PVH_UNPACK_TOO_BIG :
                                                PVH_UNPACK_CORRUPT;
}

#ifdef CONFIG_LZMA
static const char *pvh_unpack_xz(const uint8_t *in, size_t in_len,
                                 uint8_t *out, size_t *out_len)
{
    uint64_t memlimit = PVH_UNPACK_XZ_MEMLIMIT;
    size_t in_pos = 0, out_pos = 0;
    lzma_ret ret;

    /* One stream: the size trailer follows it */
    ret = lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, in_len,
                                    out, &out_pos, *out_len);
    *out_len = out_pos;
    switch (ret) {
    case LZMA_OK:
        return NULL;
    case LZMA_BUF_ERROR:
        return PVH_UNPACK_TOO_BIG;
    case LZMA_MEMLIMIT_ERROR:
        return "needs more than 256 MiB of memory to unpack";
    default:
        return PVH_UNPACK_CORRUPT;
    }
}
#endif

#ifdef CONFIG_ZSTD
static const char *pvh_unpack_zstd(const uint8_t *in, size_t in_len,
                                   uint8_t *out, size_t *out_len)
{
    /* One frame: the size trailer follows it */
    size_t frame = ZSTD_findFrameCompressedSize(in, in_len);
    size_t n;

    if (ZSTD_isError(frame)) {
        return PVH_UNPACK_CORRUPT;
    }
    n = ZSTD_decompress(out, *out_len, in, frame);
    if (ZSTD_isError(n)) {
        *out_len = 0;
        return ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ?
               PVH_UNPACK_TOO_BIG : PVH_UNPACK_CORRUPT;
    }
    *out_len = n;
    return NULL;
}
#endif

static PVHUnpackFn *pvh_unpack_fn(PVHLinuxPacking packing)
{
    switch (packing) {
    case PVH_PACKING_GZIP:
        return pvh_unpack_gzip;
#ifdef CONFIG_LZMA
    case PVH_PACKING_XZ:
        return pvh_unpack_xz;
#endif
#ifdef CONFIG_ZSTD
    case PVH_PACKING_ZSTD:
        return pvh_unpack_zstd;
#endif
    default:
        return NULL;
    }
}

/*
 * The payload of the bzImage @f as it is now, located by its setup
 * header, with its size trailer checked
 */
static uint8_t *pvh_unpack_read(const PVHFile *f, PVHLinuxPayload *p,
                                uint32_t *size, Error **errp)
{
    g_autofree uint8_t *in = NULL;
    g_autofree char *why = NULL;
    PVHLinuxImage li;
    Error *err = NULL;
    PVHLinuxError e = pvh_linux_read(f, &li, &err);

    if (err) {
        error_propagate(errp, err);
        return NULL;
    }
    if (e == PVH_LINUX_OK) {
        e = pvh_linux_payload(&li, p);
    }
    if (e != PVH_LINUX_OK) {
        why = pvh_linux_describe(e, &li);
        error_setg(errp, "kernel '%s': %s", f->name, why);
        return NULL;
    }
    in = g_try_malloc(p->length);
    if (!in) {
        error_setg(errp, "kernel '%s': no memory for its 0x%" PRIx32
                   "-byte payload", f->name, p->length);
        return NULL;
    }
    if (!pvh_files_pread((void *)f, p->offset, in, p->length)) {
        error_setg(errp, "kernel '%s': shorter than its 0x%" PRIx64
                   " bytes: it changed while being read", f->name, f->size);
        return NULL;
    }
    *size = ldl_le_p(in + p->length - 4);
    if (!*size || *size > PVH_UNPACK_MAX) {
        error_setg(errp, "kernel '%s': its payload's size trailer says it "
                   "unpacks to %" PRIu32 " bytes (1 to 1 GiB)", f->name,
                   *size);
        return NULL;
    }
    return g_steal_pointer(&in);
}

/*
 * Unpack @in (@in_len bytes, with @fn) into a fresh memfd of exactly
 * @size bytes; its fd, or -1 with @errp set, naming @f
 */
static int pvh_unpack_to_memfd(const PVHFile *f, PVHLinuxPacking packing,
                               PVHUnpackFn *fn, const uint8_t *in,
                               size_t in_len, uint32_t size, Error **errp)
{
    int fd = qemu_memfd_create("pvh-unpack", size, false, 0, 0, errp);
    const char *fail;
    size_t len = size;
    uint8_t *out;

    if (fd < 0) {
        error_prepend(errp, "kernel '%s': ", f->name);
        return -1;
    }
    out = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (out == MAP_FAILED) {
        error_setg_errno(errp, errno, "kernel '%s': cannot map %" PRIu32
                         " bytes to unpack its payload into", f->name, size);
        close(fd);
        return -1;
    }
    fail = fn(in, in_len, out, &len);
    munmap(out, size);
    if (!fail && len != size) {
        fail = "unpacks to fewer bytes than its size trailer says";
    }
    if (fail) {
        error_setg(errp, "kernel '%s': its %s payload %s", f->name,
                   pvh_linux_packing_name(packing), fail);
        close(fd);
        return -1;
    }
    return fd;
}

/* Unpack the payload of the bzImage @f into a fresh memfd, as st->elf */
static bool pvh_unpack(const PVHFile *f, PVHUnpackState *st, Error **errp)
{
    int64_t t0 = get_clock();
    g_autofree uint8_t *in = NULL;
    PVHLinuxPayload p;
    PVHLinuxPacking packing;
    PVHUnpackFn *fn;
    uint32_t size;
    int fd;

    in = pvh_unpack_read(f, &p, &size, errp);
    if (!in) {
        return false;
    }
    packing = pvh_linux_packing(in);
    fn = pvh_unpack_fn(packing);
    if (!fn) {
        error_setg(errp, "kernel '%s': its payload is %s, and this QEMU "
                   "unpacks %s", f->name, pvh_linux_packing_name(packing),
                   pvh_unpack_formats);
        return false;
    }
    fd = pvh_unpack_to_memfd(f, packing, fn, in, p.length, size, errp);
    if (fd < 0) {
        return false;
    }
    trace_pvh_direct_unpack(f->name, pvh_linux_packing_name(packing),
                            p.length, size, (get_clock() - t0) / SCALE_US);
    pvh_files_close(&st->elf);
    st->elf = (PVHFile) {
        .what = "unpacked kernel", .name = g_strdup(f->name), .fd = fd,
        .size = size,
    };
    return true;
}

/* Did the kernel file change since it was unpacked? */
static bool pvh_unpack_same(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* At load and at every reset: unpack again only what changed */
static bool pvh_unpack_parse(PVHBoot *b, PVHElfImage *img, Error **errp)
{
    PVHUnpackState *st = b->proto_state;
    struct stat now;

    if (fstat(b->kernel.fd, &now) < 0) {
        error_setg_errno(errp, errno, "kernel '%s'", b->kernel.name);
        return false;
    }
    if (st->elf.fd < 0 || !pvh_unpack_same(&now, &st->from)) {
        if (!pvh_unpack(&b->kernel, st, errp)) {
            return false;
        }
        st->from = now;
    }
    b->image = &st->elf;
    return pvh_boot_pvh_parse_elf(&st->elf, img, errp);
}

static void pvh_unpack_cleanup(PVHBoot *b)
{
    PVHUnpackState *st = b->proto_state;

    if (st) {
        pvh_files_close(&st->elf);
    }
}

static const PVHProtocol pvh_unpack_protocol = {
    .name = "PVH (unpacked bzImage)",
    .host_kaslr = true,
    .parse = pvh_unpack_parse,
    .install = pvh_boot_pvh_install,
    .entry = pvh_boot_pvh_entry,
    .cleanup = pvh_unpack_cleanup,
};

bool pvh_boot_unpack_load(X86MachineState *x86ms, uint64_t acpi_size,
                          Error **errp)
{
    PVHUnpackState *st = g_new0(PVHUnpackState, 1);

    st->elf.fd = -1;
    return pvh_platform_load(x86ms, &pvh_unpack_protocol, st, acpi_size,
                             errp);
}
