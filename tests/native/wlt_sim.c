/*
 * A stand-in for a vendor's WLT photo decoder, with the same C entry points, so the ctypes path in
 * drivers/idcard/wlt.py is tested end to end. The picture is a grey gradient derived from the input bytes.
 *
 *   gcc -shared -fPIC -O2 -Wall -o libwlt_sim.so wlt_sim.c
 *   gcc -shared -fPIC -O2 -Wall -DWLT_SIM_GETBMP -o libwlt_getbmp.so wlt_sim.c
 *
 * The first build exports int unpack(char *wlt, char *out, int bmpSave), as libwlt2bmp.so / WltRS do:
 * 1,024 WLT bytes in; out receives, by WLT_SIM_MODE, a whole 38,862-byte BMP file ("bmp", the default) or the
 * bare 38,556 bytes of 102x126 RGB pixels ("raw"); "fail" returns 0 and writes nothing. Success returns 1.
 * The second build exports int GetBmp(char *wlt_file, int intf) instead, as the Windows WltRS.dll does: it
 * reads the .wlt file and writes the picture next to it as .bmp; 1 is success, -3 a file it cannot open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 102
#define HEIGHT 126
#define WLT_LEN 1024
#define ROW_LEN (WIDTH * 3 + 2) /* BMP rows are padded to four bytes */
#define HEADER_LEN 54
#define BMP_LEN (HEADER_LEN + ROW_LEN * HEIGHT) /* 38,862 */

static void put16(unsigned char *at, unsigned int value)
{
    at[0] = value & 0xff;
    at[1] = (value >> 8) & 0xff;
}

static void put32(unsigned char *at, unsigned long value)
{
    put16(at, value & 0xffff);
    put16(at + 2, (value >> 16) & 0xffff);
}

static unsigned char grey(const unsigned char *wlt, int x, int y)
{
    return (unsigned char)((y * 2 + wlt[(y * WIDTH + x) % WLT_LEN] / 4) & 0xff);
}

static void write_bmp(const unsigned char *wlt, unsigned char *bmp)
{
    int x, y;

    memset(bmp, 0, BMP_LEN);
    bmp[0] = 'B';
    bmp[1] = 'M';
    put32(bmp + 2, BMP_LEN);
    put32(bmp + 10, HEADER_LEN);
    put32(bmp + 14, 40);
    put32(bmp + 18, WIDTH);
    put32(bmp + 22, HEIGHT);
    put16(bmp + 26, 1);
    put16(bmp + 28, 24);
    for (y = 0; y < HEIGHT; y++)
        for (x = 0; x < WIDTH; x++)
            memset(bmp + HEADER_LEN + y * ROW_LEN + x * 3, grey(wlt, x, y), 3);
}

#ifndef WLT_SIM_GETBMP
int unpack(char *wlt, char *out, int bmp_save)
{
    const char *mode = getenv("WLT_SIM_MODE");
    const unsigned char *in = (const unsigned char *)wlt;
    unsigned char *pixels = (unsigned char *)out;
    int x, y;

    (void)bmp_save;
    if (mode != NULL && strcmp(mode, "fail") == 0)
        return 0;
    if (mode != NULL && strcmp(mode, "raw") == 0) {
        for (y = 0; y < HEIGHT; y++)
            for (x = 0; x < WIDTH; x++) {
                unsigned char *at = pixels + (y * WIDTH + x) * 3;
                at[0] = grey(in, x, y);     /* red */
                at[1] = grey(in, x, y);     /* green */
                at[2] = grey(in, x, y) / 2; /* blue: half, so a swapped channel order shows */
            }
        return 1;
    }
    write_bmp(in, pixels);
    return 1;
}
#else
int GetBmp(char *wlt_file, int intf)
{
    unsigned char wlt[WLT_LEN], bmp[BMP_LEN];
    char bmp_file[4096];
    size_t length = strlen(wlt_file);
    FILE *file;

    (void)intf;
    if (length < 4 || length >= sizeof bmp_file || strcmp(wlt_file + length - 4, ".wlt") != 0)
        return -2;
    file = fopen(wlt_file, "rb");
    if (file == NULL)
        return -3;
    if (fread(wlt, 1, WLT_LEN, file) != WLT_LEN) {
        fclose(file);
        return -4;
    }
    fclose(file);
    write_bmp(wlt, bmp);
    memcpy(bmp_file, wlt_file, length - 4);
    strcpy(bmp_file + length - 4, ".bmp");
    file = fopen(bmp_file, "wb");
    if (file == NULL)
        return -3;
    fwrite(bmp, 1, BMP_LEN, file);
    fclose(file);
    return 1;
}
#endif
