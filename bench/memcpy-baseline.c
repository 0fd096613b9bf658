/*
 * memcpy-baseline FILE BYTES [pread]: the time of copying BYTES of FILE
 * into fresh, never-touched memory advised for huge pages, as QEMU's
 * guest RAM is.  Prints milliseconds.
 *   default  a plain memcpy from a copy of the file already in memory
 *   pread    pread() from the file (read once first, so from the page
 *            cache): the way the direct path loads a kernel, its floor
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int fd = open(argv[1], O_RDONLY);
    size_t n = strtoull(argv[2], NULL, 0), len, done, chunk;
    int use_pread = argc > 3 && !strcmp(argv[3], "pread");
    struct timespec a, b;
    char *src, *dst;
    off_t end;

    if (fd < 0 || (end = lseek(fd, 0, SEEK_END)) <= 0) {
        return 1;
    }
    len = end;
    src = malloc(len);
    if (!src || pread(fd, src, len, 0) != (ssize_t)len) {
        return 1;
    }
    dst = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    if (dst == MAP_FAILED) {
        return 1;
    }
    madvise(dst, n, MADV_HUGEPAGE);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (done = 0; done < n; done += chunk) {
        chunk = len < n - done ? len : n - done;
        if (!use_pread) {
            memcpy(dst + done, src, chunk);
        } else if (pread(fd, dst + done, chunk, 0) != (ssize_t)chunk) {
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
    return dst[n - 1] == 42;
}
