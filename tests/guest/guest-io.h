/*
 * Test guests: port I/O, RDMSR, and printing over isa-debugcon (port
 * 0xe9), shared by guest.c and platform.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_GUEST_GUEST_IO_H
#define TESTS_GUEST_GUEST_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void puts_(const char *s)
{
    while (*s) {
        outb(0xe9, *s++);
    }
}

static inline void puthex(uint64_t v)
{
    char buf[19] = "0x";
    int i, n = 0;

    for (i = 60; i > 0 && !((v >> i) & 0xf); i -= 4) {
    }
    for (; i >= 0; i -= 4) {
        buf[2 + n++] = "0123456789abcdef"[(v >> i) & 0xf];
    }
    buf[2 + n] = 0;
    puts_(buf);
}

#endif
