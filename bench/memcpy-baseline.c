/*
 * memcpy-baseline FILE BYTES: the time of a plain memcpy of BYTES from
 * FILE (read into memory first) into fresh, never-touched memory
 * advised for huge pages, as QEMU's guest RAM is.  Prints milliseconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    size_t n = strtoull(argv[2], NULL, 0), len, done;
    struct timespec a, b;
    char *src, *dst;

    if (!f || fseek(f, 0, SEEK_END)) {
        return 1;
    }
    len = ftell(f);
    rewind(f);
    src = malloc(len);
    if (!src || fread(src, 1, len, f) != len) {
        return 1;
    }
    dst = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    if (dst == MAP_FAILED) {
        return 1;
    }
    madvise(dst, n, MADV_HUGEPAGE);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (done = 0; done < n; done += len < n - done ? len : n - done) {
        memcpy(dst + done, src, len < n - done ? len : n - done);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
    return dst[n - 1] == 42;
}
