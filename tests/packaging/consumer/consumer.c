/*
 * A Windows-style C program built against the installed ws2 package: start Winsock, create a TCP
 * socket, read its SO_TYPE, close it and clean up. Prints OK and returns 0 when all of that works.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>

int main(void) {
    WSADATA wsaData;
    int iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0) {
        printf("WSAStartup failed: %d\n", iResult);
        return 1;
    }
    if (wsaData.wVersion != MAKEWORD(2, 2)) {
        printf("WSAStartup gave version 0x%04x, expected 0x0202\n", (unsigned)wsaData.wVersion);
        WSACleanup();
        return 1;
    }

    SOCKET sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (sock == INVALID_SOCKET) {
        printf("socket failed with error = %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    int type = -1;
    int len = (int)sizeof(type);
    if (getsockopt(sock, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == SOCKET_ERROR) {
        printf("getsockopt(SO_TYPE) failed with error = %d\n", WSAGetLastError());
        closesocket(sock);
        WSACleanup();
        return 1;
    }
    if (type != SOCK_STREAM || len != (int)sizeof(type)) {
        printf("getsockopt(SO_TYPE) gave type %d (length %d), expected SOCK_STREAM (%d, %d)\n", type,
               len, SOCK_STREAM, (int)sizeof(type));
        closesocket(sock);
        WSACleanup();
        return 1;
    }

    if (closesocket(sock) == SOCKET_ERROR) {
        printf("closesocket failed with error = %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }
    if (WSACleanup() != 0) {
        printf("WSACleanup failed with error = %d\n", WSAGetLastError());
        return 1;
    }
    printf("OK\n");
    return 0;
}
