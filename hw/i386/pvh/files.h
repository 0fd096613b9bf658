/*
 * Direct kernel boot: the boot files (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_FILES_H
#define HW_I386_PVH_FILES_H

#include "exec/hwaddr.h"

typedef struct PVHFile {
    const char *what;           /* "kernel" or "initrd" */
    char *name;
    int fd;                     /* -1: none */
    uint64_t size;
} PVHFile;

/**
 * pvh_files_open: open @name as @f (read-only, non-blocking), a regular
 * non-empty file; @f's old fd, if any, is closed
 * @f: the file
 * @what: "kernel", "initrd", ...: how messages name it
 * @name: its name
 * @errp: set on failure, in upstream's words with the reason after
 */
bool pvh_files_open(PVHFile *f, const char *what, const char *name,
                    Error **errp);

/**
 * pvh_files_follow: follow @f to what its name holds now
 * @f: the open file
 * @errp: set if what the name holds now cannot be a boot file
 *
 * A file replaced under the name (a rebuilt kernel) is opened anew, a
 * file changed in place gets its new size.  A file that was removed
 * keeps serving what it held.
 */
bool pvh_files_follow(PVHFile *f, Error **errp);

/* Did @f's size change since it was opened or followed? */
bool pvh_files_changed(const PVHFile *f);

/* Reads @len bytes at @off of the PVHFile @file; false on a short read */
bool pvh_files_pread(void *file, uint64_t off, void *dst, uint64_t len);

/**
 * pvh_files_to_guest: copy @len bytes at @off of @f straight into guest
 * RAM at @addr
 * @errp: set, naming the file, if the address is not RAM or the file
 *     cannot be read or ends early
 */
bool pvh_files_to_guest(const PVHFile *f, uint64_t off, hwaddr addr,
                        uint64_t len, Error **errp);

/* Close @f and free its name; @f may be closed already */
void pvh_files_close(PVHFile *f);

#endif
