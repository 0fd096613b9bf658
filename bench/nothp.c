/*
 * nothp COMMAND [ARG...]: run COMMAND with transparent huge pages off
 * for it (prctl PR_SET_THP_DISABLE, kept across execve), so that a first
 * touch of fresh memory faults in 4 KiB pages instead of clearing 2 MiB
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2 || prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
        perror("nothp");
        return 127;
    }
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
