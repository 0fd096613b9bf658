/*
 * Direct kernel boot: the boot files (QEMU glue)
 *
 * The kernel and initrd stay open for the machine's lifetime and are
 * read again at every reset, as they are then: a file replaced under
 * its name is followed, one changed in place is read anew, and every
 * read is checked against a file that shrank.  Files are opened
 * non-blocking and must be regular and not empty, so that a FIFO with
 * no writer cannot hang QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "compat.h"
#include "hw/i386/pvh.h"
#include "files.h"

/*
 * Upstream's words for a boot file that cannot be opened (@opening) or
 * read, as x86_load_linux() prints them: tools grep for them, so ours
 * keep them and add the reason after.
 */
static char *pvh_file_words(const char *what, const char *name,
                            bool opening)
{
    if (!strcmp(what, "kernel")) {
        return g_strdup_printf(opening ? "could not open kernel file '%s'" :
                               "could not load kernel '%s'", name);
    }
    return g_strdup_printf("error reading %s %s", what, name);
}

/* What a boot file must be: a regular file, not empty */
static bool pvh_check_stat(const char *what, const char *name,
                           const struct stat *st, Error **errp)
{
    const char *kind = S_ISDIR(st->st_mode) ? "a directory" :
                       S_ISCHR(st->st_mode) ? "a character device" :
                       S_ISBLK(st->st_mode) ? "a block device" :
                       S_ISFIFO(st->st_mode) ? "a FIFO" :
                       S_ISSOCK(st->st_mode) ? "a socket" : NULL;
    g_autofree char *words = pvh_file_words(what, name, false);

    if (!S_ISREG(st->st_mode)) {
        error_setg(errp, "%s: %s, not a regular file", words,
                   kind ? kind : "not a regular file");
        return false;
    }
    if (st->st_size == 0) {
        error_setg(errp, "%s: file is empty", words);
        return false;
    }
    return true;
}

bool pvh_check_boot_file(const char *what, const char *name, Error **errp)
{
    struct stat st;

    if (stat(name, &st) < 0) {
        g_autofree char *words = pvh_file_words(what, name, true);

        error_setg_errno(errp, errno, "%s", words);
        return false;
    }
    return pvh_check_stat(what, name, &st, errp);
}

/*
 * Open @name as @f.  Non-blocking, so that a FIFO with no writer cannot
 * hang QEMU before it is refused.
 */
bool pvh_files_open(PVHFile *f, const char *what, const char *name,
                       Error **errp)
{
    Error *err = NULL;
    struct stat st;
    int fd;

    fd = qemu_open(name, O_RDONLY | O_NONBLOCK, &err);
    if (fd < 0) {
        int saved_errno = errno;
        g_autofree char *words = pvh_file_words(what, name, true);

        error_free(err);
        error_setg_errno(errp, saved_errno, "%s", words);
        return false;
    }
    if (fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "%s '%s'", what, name);
        qemu_close(fd);
        return false;
    }
    if (!pvh_check_stat(what, name, &st, errp)) {
        qemu_close(fd);
        return false;
    }
    if (f->fd >= 0) {
        qemu_close(f->fd);
    }
    if (f->name != name) {
        g_free(f->name);
        f->name = g_strdup(name);
    }
    f->what = what;
    f->fd = fd;
    f->size = st.st_size;
    return true;
}

bool pvh_files_follow(PVHFile *f, Error **errp)
{
    struct stat now, open;

    if (fstat(f->fd, &open) < 0) {
        error_setg_errno(errp, errno, "%s '%s'", f->what, f->name);
        return false;
    }
    if (stat(f->name, &now) == 0 &&
        (now.st_dev != open.st_dev || now.st_ino != open.st_ino)) {
        return pvh_files_open(f, f->what, f->name, errp);
    }
    if (!pvh_check_stat(f->what, f->name, &open, errp)) {
        return false;
    }
    f->size = open.st_size;
    return true;
}

bool pvh_files_pread(void *opaque, uint64_t off, void *dst, uint64_t len)
{
    const PVHFile *f = opaque;

    while (len) {
        ssize_t n = pread(f->fd, dst, MIN(len, SSIZE_MAX), off);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        dst = (uint8_t *)dst + n;
        off += n;
        len -= n;
    }
    return true;
}

bool pvh_files_changed(const PVHFile *f)
{
    struct stat st;

    return f->fd >= 0 && (fstat(f->fd, &st) < 0 || st.st_size != f->size);
}

bool pvh_files_to_guest(const PVHFile *f, uint64_t off, hwaddr addr,
                        uint64_t len, Error **errp)
{
    while (len) {
        hwaddr l = len;
        ssize_t n;
        int saved_errno;
        uint8_t *p = address_space_map(&address_space_memory, addr, &l, true,
                                       MEMTXATTRS_UNSPECIFIED);

        if (!p) {
            error_setg(errp, "%s '%s': guest address 0x%" HWADDR_PRIx
                       " is not RAM", f->what, f->name, addr);
            return false;
        }
        n = pread(f->fd, p, l, off);
        saved_errno = errno;
        address_space_unmap(&address_space_memory, p, l, true, MAX(n, 0));
        if (n < 0 && saved_errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, saved_errno, "%s '%s': cannot read "
                             "0x%" PRIx64 " bytes at offset 0x%" PRIx64,
                             f->what, f->name, len, off);
            return false;
        }
        if (n == 0) {
            error_setg(errp, "%s '%s': ends before offset 0x%" PRIx64
                       ": it shrank while being read", f->what, f->name,
                       off + len);
            return false;
        }
        off += n;
        addr += n;
        len -= n;
    }
    return true;
}

void pvh_files_close(PVHFile *f)
{
    if (f->fd >= 0) {
        qemu_close(f->fd);
        f->fd = -1;
    }
    g_free(f->name);
    f->name = NULL;
}
