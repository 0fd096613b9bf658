/*
 * VGA text mode without a video BIOS: the port and memory writes of
 * pvh_vga_text_mode() against a small model of the VGA's registers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/vga-text.h"

typedef struct Vga {
    uint8_t misc, seq_i, seq[5], crtc_i, crtc[25], gfx_i, gfx[9];
    uint8_t attr_i, attr[21], pel_mask, dac[256 * 3];
    bool attr_data, video_on;
    unsigned dac_i, protected_writes, memory_writes;
    uint8_t vram[PVH_VGA_BLOCK_SIZE];   /* QEMU's: planes interleaved */
} Vga;

static void out(void *opaque, uint16_t port, uint8_t v)
{
    Vga *g = opaque;

    switch (port) {
    case 0x3c2:
        g->misc = v;
        break;
    case 0x3c4:
        g->seq_i = v;
        break;
    case 0x3c5:
        g_assert_cmpuint(g->seq_i, <, 5);
        g->seq[g->seq_i] = v;
        break;
    case 0x3d4:
        g->crtc_i = v;
        break;
    case 0x3d5:
        g_assert_cmpuint(g->crtc_i, <, 25);
        /* CR11 bit 7 write-protects CR0-CR7 */
        if (g->crtc_i < 8 && (g->crtc[0x11] & 0x80)) {
            g->protected_writes++;
        }
        g->crtc[g->crtc_i] = v;
        break;
    case 0x3ce:
        g->gfx_i = v;
        break;
    case 0x3cf:
        g_assert_cmpuint(g->gfx_i, <, 9);
        g->gfx[g->gfx_i] = v;
        break;
    case 0x3c0:
        if (!g->attr_data) {
            g->attr_i = v & 0x1f;
            g->video_on = v & 0x20;
        } else {
            g_assert_cmpuint(g->attr_i, <, 21);
            g->attr[g->attr_i] = v;
        }
        g->attr_data = !g->attr_data;
        break;
    case 0x3c6:
        g->pel_mask = v;
        break;
    case 0x3c8:
        g->dac_i = v * 3;
        break;
    case 0x3c9:
        g_assert_cmpuint(g->dac_i, <, sizeof(g->dac));
        g->dac[g->dac_i++] = v;
        break;
    default:
        g_assert_not_reached();
    }
}

static uint8_t in(void *opaque, uint16_t port)
{
    Vga *g = opaque;

    g_assert_cmphex(port, ==, 0x3da);
    g->attr_data = false;           /* resets the attribute flip-flop */
    return 0;
}

/*
 * Memory, as QEMU's VGA model takes it: in chain-4 mode with all planes
 * enabled and doubleword addressing, byte a of the window is byte a of
 * the interleaved planes (plane a % 4, offset a / 4).  No other mode is
 * expected: the planar path is the slow one.
 */
static void mem_write(void *opaque, uint32_t addr, const void *buf,
                      uint32_t len)
{
    Vga *g = opaque;

    g_assert_cmphex(g->seq[2], ==, 0x0f);
    g_assert_cmphex(g->seq[4] & 0x08, ==, 0x08);
    g_assert_cmphex(g->crtc[0x14] & 0x40, ==, 0x40);
    g_assert_cmphex(g->gfx[6] & 0x0c, ==, 0);   /* 0xa0000, 128 KiB */
    g_assert_cmphex(addr, >=, 0xa0000);
    g_assert_cmphex(addr + len, <=, 0xa0000 + sizeof(g->vram));
    memcpy(g->vram + addr - 0xa0000, buf, len);
    g->memory_writes++;
}

static void test_mode3(void)
{
    static const uint8_t crtc[25] = {
        0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d,
        0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96,
        0xb9, 0xa3, 0xff,
    };
    static const uint8_t gfx[9] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x0f, 0xff,
    };
    g_autofree Vga *g = g_new0(Vga, 1);
    PVHVgaOps ops = { out, in, mem_write, g };
    uint8_t font[PVH_VGA_FONT_SIZE];
    unsigned i;

    for (i = 0; i < sizeof(font); i++) {
        font[i] = i * 5 + 1;
    }
    g->attr_data = true;            /* as a guest may leave it */
    memset(g->vram, 0xcc, sizeof(g->vram));
    pvh_vga_text_mode(&ops, font);

    g_assert_cmphex(g->misc, ==, 0x67);         /* colour, 28 MHz, RAM on */
    g_assert_cmphex(g->seq[0], ==, 0x03);       /* out of reset */
    g_assert_cmphex(g->seq[1], ==, 0x00);       /* 9-dot characters */
    g_assert_cmphex(g->seq[2], ==, 0x03);       /* planes 0 and 1 */
    g_assert_cmphex(g->seq[4], ==, 0x02);       /* odd/even */
    g_assert_cmpmem(g->crtc, sizeof(crtc), crtc, sizeof(crtc));
    g_assert_cmpuint(g->protected_writes, ==, 0);
    g_assert_cmpmem(g->gfx, sizeof(gfx), gfx, sizeof(gfx));
    g_assert_true(g->video_on);
    g_assert_cmphex(g->attr[0x10], ==, 0x0c);   /* text, 9th column */
    g_assert_cmphex(g->attr[0x12], ==, 0x0f);
    g_assert_cmphex(g->attr[6], ==, 0x14);      /* brown */
    g_assert_cmphex(g->attr[15], ==, 0x3f);     /* white */
    g_assert_cmphex(g->pel_mask, ==, 0xff);
    /* EGA palette: 7 (grey) is 2/3 each, 0x3f white, 0x14 brown */
    g_assert_cmpmem(g->dac + 7 * 3, 3, "\x2a\x2a\x2a", 3);
    g_assert_cmpmem(g->dac + 0x3f * 3, 3, "\x3f\x3f\x3f", 3);
    g_assert_cmpmem(g->dac + 0x14 * 3, 3, "\x2a\x15\x00", 3);
    g_assert_cmpmem(g->dac + 1 * 3, 3, "\x00\x00\x2a", 3);
    g_assert_cmpuint(g->memory_writes, ==, 1);
    g_assert_cmphex(g->crtc[0x14], ==, 0x1f);   /* doubleword off again */
    /* The font in plane 2: 16 bytes per glyph, 32 apart, rows 16-31 0 */
    for (i = 0; i < 256 * 32; i++) {
        unsigned ch = i / 32, row = i % 32;

        g_assert_cmphex(g->vram[i * 4 + 2], ==,
                        row < 16 ? font[ch * 16 + row] : 0);
    }
    /* A blank screen, grey on black: character in plane 0, attribute 1 */
    for (i = 0; i < PVH_VGA_COLS * PVH_VGA_LINES; i++) {
        g_assert_cmphex(g->vram[i * 4], ==, ' ');
        g_assert_cmphex(g->vram[i * 4 + 1], ==, 0x07);
    }
}

static void test_screen_info(void)
{
    uint8_t si[PVH_SCREEN_INFO_SIZE];

    pvh_vga_text_screen_info(si);
    g_assert_cmpuint(si[0x06], ==, 3);          /* orig_video_mode */
    g_assert_cmpuint(si[0x07], ==, 80);         /* orig_video_cols */
    g_assert_cmpuint(si[0x0e], ==, 25);         /* orig_video_lines */
    g_assert_cmpuint(si[0x0f], ==, 1);          /* orig_video_isVGA */
    g_assert_cmpuint(lduw_le_p(si + 0x10), ==, 16);
    g_assert_cmpuint(si[0], ==, 0);             /* cursor at 0,0 */
    g_assert_cmpuint(si[1], ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vga-text/mode3", test_mode3);
    g_test_add_func("/vga-text/screen-info", test_screen_info);
    return g_test_run();
}
