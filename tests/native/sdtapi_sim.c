/*
 * A stand-in for a vendor's sdtapi library (sdtapi.dll / libsdtapi.so), exposing the same C ABI so the
 * ctypes binding in drivers/idcard/sdtapi.py runs unchanged against it in tests.
 *
 *   gcc -shared -fPIC -O2 -Wall -o libsdtapi_sim.so sdtapi_sim.c
 *   gcc -shared -fPIC -O2 -Wall -DSDTAPI_SIM_MINIMAL -o libsdtapi_min.so sdtapi_sim.c
 *
 * The minimal build leaves out the optional exports (SDT_ReadBaseFPMsg, SDT_ReadNewAppMsg), as older
 * vendor libraries do.
 *
 * The card on the reader is a file named by SDTAPI_SIM_CARD: text (256) + photo (1024), optionally followed by
 * a fingerprint (1024) and then an appended-address message (up to 280). No file, or a shorter one: no card.
 * SDTAPI_SIM_FAULT injects one fault: read_fail (read returns 0x41), sam_fault (SAM status 0x60),
 * bad_length (read reports a text length of 300), overrun (read writes 64 bytes past the 256-byte text buffer, as a
 * broken library might; the caller's buffers have room to notice it), no_port (SDT_OpenPort fails with 0x01).
 * Both variables are read on every call, so a test can change the card between calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_OK 0x90
#define RC_NO_ITEM 0x91
#define RC_FOUND 0x9F
#define RC_PORT 0x01
#define RC_NO_CARD 0x80
#define RC_SELECT_FAILED 0x81
#define RC_READ_FAILED 0x41
#define RC_SAM_SELFTEST 0x60

#define TEXT_LEN 256
#define PHOTO_LEN 1024
#define FP_LEN 1024
#define APP_LEN 280
#define CARD_MAX (TEXT_LEN + PHOTO_LEN + FP_LEN + APP_LEN)

static int open_port = 0;

static int fault(const char *name)
{
    const char *value = getenv("SDTAPI_SIM_FAULT");
    return value != NULL && strcmp(value, name) == 0;
}

/* The card file's bytes; 0 when there is no card. */
static size_t load_card(unsigned char *card)
{
    const char *path = getenv("SDTAPI_SIM_CARD");
    FILE *file;
    size_t size;

    if (path == NULL || *path == '\0')
        return 0;
    file = fopen(path, "rb");
    if (file == NULL)
        return 0;
    size = fread(card, 1, CARD_MAX, file);
    fclose(file);
    return size >= TEXT_LEN + PHOTO_LEN ? size : 0;
}

static int valid_port(int port)
{
    return (port >= 1 && port <= 16) || (port >= 1001 && port <= 1016);
}

/* With iIfOpen 0 the caller must have opened the port; with 1 the call opens and closes it itself. */
static int ready(int port, int if_open)
{
    if (if_open)
        return valid_port(port) && !fault("no_port");
    return port == open_port;
}

int SDT_OpenPort(int port)
{
    if (!valid_port(port) || fault("no_port"))
        return RC_PORT;
    open_port = port;
    return RC_OK;
}

int SDT_ClosePort(int port)
{
    if (port != open_port)
        return RC_PORT;
    open_port = 0;
    return RC_OK;
}

int SDT_GetSAMStatus(int port, int if_open)
{
    if (!ready(port, if_open))
        return RC_PORT;
    return fault("sam_fault") ? RC_SAM_SELFTEST : RC_OK;
}

int SDT_ResetSAM(int port, int if_open)
{
    return ready(port, if_open) ? RC_OK : RC_PORT;
}

int SDT_GetSAMIDToStr(int port, char *id, int if_open)
{
    if (!ready(port, if_open))
        return RC_PORT;
    strcpy(id, "05.01-20240315-0004521236-2147486847");
    return RC_OK;
}

int SDT_StartFindIDCard(int port, unsigned char *iin, int if_open)
{
    unsigned char card[CARD_MAX];

    if (!ready(port, if_open))
        return RC_PORT;
    if (load_card(card) == 0)
        return RC_NO_CARD;
    memset(iin, 0, 4);
    return RC_FOUND;
}

int SDT_SelectIDCard(int port, unsigned char *sn, int if_open)
{
    unsigned char card[CARD_MAX];

    if (!ready(port, if_open))
        return RC_PORT;
    if (load_card(card) == 0)
        return RC_SELECT_FAILED;
    memset(sn, 0, 8);
    return RC_OK;
}

static int read_card(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                     unsigned int *photo_len, unsigned char *fp, unsigned int *fp_len, int if_open)
{
    unsigned char card[CARD_MAX];
    size_t size;

    if (!ready(port, if_open))
        return RC_PORT;
    size = load_card(card);
    if (size == 0 || fault("read_fail"))
        return RC_READ_FAILED;
    memcpy(text, card, TEXT_LEN);
    if (fault("overrun"))
        memset(text + TEXT_LEN, 0, 64);
    memcpy(photo, card + TEXT_LEN, PHOTO_LEN);
    *text_len = fault("bad_length") ? 300 : TEXT_LEN;
    *photo_len = PHOTO_LEN;
    if (fp != NULL) {
        *fp_len = size >= TEXT_LEN + PHOTO_LEN + FP_LEN ? FP_LEN : 0;
        memcpy(fp, card + TEXT_LEN + PHOTO_LEN, *fp_len);
    }
    return RC_OK;
}

int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                    unsigned int *photo_len, int if_open)
{
    return read_card(port, text, text_len, photo, photo_len, NULL, NULL, if_open);
}

#ifndef SDTAPI_SIM_MINIMAL
int SDT_ReadBaseFPMsg(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                      unsigned int *photo_len, unsigned char *fp, unsigned int *fp_len, int if_open)
{
    return read_card(port, text, text_len, photo, photo_len, fp, fp_len, if_open);
}

int SDT_ReadNewAppMsg(int port, unsigned char *msg, unsigned int *msg_len, int if_open)
{
    unsigned char card[CARD_MAX];
    size_t size, offset = TEXT_LEN + PHOTO_LEN + FP_LEN;

    if (!ready(port, if_open))
        return RC_PORT;
    size = load_card(card);
    if (size == 0)
        return RC_READ_FAILED;
    *msg_len = 0;
    if (size <= offset)
        return RC_NO_ITEM;
    *msg_len = (unsigned int)(size - offset);
    memcpy(msg, card + offset, *msg_len);
    return RC_OK;
}
#endif
