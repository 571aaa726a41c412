/*
 * A Unicode Windows program (wmain, _wtoi, wprintf with Microsoft format meanings) built with the
 * ws2::ws2_32_unicode target. Run as: consumer_wmain 42 -7 abc
 * Expected output:
 *   argv[1]=42 argv[3]=abc
 *   _wtoi: 42 -7 0
 *   OK
 */
#ifndef UNICODE
#define UNICODE 1
#endif
#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 4) {
        wprintf(L"usage: %s <number> <number> <text>\n", argv[0]);
        return 1;
    }
    /* In a wide printf, Microsoft's %s and %ws both take a wide string. */
    wprintf(L"argv[1]=%s argv[3]=%ws\n", argv[1], argv[3]);
    wprintf(L"_wtoi: %d %d %d\n", _wtoi(argv[1]), _wtoi(argv[2]), _wtoi(argv[3]));

    WSADATA wsaData;
    int iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0) {
        wprintf(L"WSAStartup failed: %d\n", iResult);
        return 1;
    }
    WSACleanup();
    wprintf(L"OK\n");
    return 0;
}
