/* A TCP echo client written the ordinary Winsock way: getaddrinfo, connect to the first address
 * that answers, send a message, shutdown(SD_SEND), receive until the server closes.
 * usage: echo_client <host> <port> <message>   (prints what came back) */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    WSADATA wsaData;
    SOCKET connectSocket = INVALID_SOCKET;
    struct addrinfo *result = NULL, *ptr, hints;
    char recvbuf[512];
    int iResult;

    if (argc != 4) {
        printf("usage: %s <host> <port> <message>\n", argv[0]);
        return 1;
    }
    iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0) {
        printf("WSAStartup failed with error: %d\n", iResult);
        return 1;
    }
    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    iResult = getaddrinfo(argv[1], argv[2], &hints, &result);
    if (iResult != 0) {
        printf("getaddrinfo failed with error: %d\n", iResult);
        WSACleanup();
        return 1;
    }
    for (ptr = result; ptr != NULL; ptr = ptr->ai_next) {
        connectSocket = socket(ptr->ai_family, ptr->ai_socktype, ptr->ai_protocol);
        if (connectSocket == INVALID_SOCKET) {
            printf("socket failed with error: %d\n", WSAGetLastError());
            freeaddrinfo(result);
            WSACleanup();
            return 1;
        }
        if (connect(connectSocket, ptr->ai_addr, (int)ptr->ai_addrlen) == SOCKET_ERROR) {
            closesocket(connectSocket);
            connectSocket = INVALID_SOCKET;
            continue;
        }
        break;
    }
    freeaddrinfo(result);
    if (connectSocket == INVALID_SOCKET) {
        printf("Unable to connect to server!\n");
        WSACleanup();
        return 1;
    }
    if (send(connectSocket, argv[3], (int)strlen(argv[3]), 0) == SOCKET_ERROR) {
        printf("send failed with error: %d\n", WSAGetLastError());
        closesocket(connectSocket);
        WSACleanup();
        return 1;
    }
    if (shutdown(connectSocket, SD_SEND) == SOCKET_ERROR) {
        printf("shutdown failed with error: %d\n", WSAGetLastError());
        closesocket(connectSocket);
        WSACleanup();
        return 1;
    }
    do {
        iResult = recv(connectSocket, recvbuf, sizeof recvbuf, 0);
        if (iResult > 0) fwrite(recvbuf, 1, (size_t)iResult, stdout);
        else if (iResult < 0) printf("recv failed with error: %d\n", WSAGetLastError());
    } while (iResult > 0);
    printf("\n");
    closesocket(connectSocket);
    WSACleanup();
    return 0;
}
