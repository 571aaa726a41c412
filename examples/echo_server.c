/* A TCP echo server written the ordinary Winsock way: WSAStartup, getaddrinfo, socket, bind,
 * listen, accept, recv/send until the client shuts down, shutdown, closesocket.
 * usage: echo_server <port> [connections]   (serves that many clients, default 1, then exits) */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    WSADATA wsaData;
    struct addrinfo hints, *result = NULL;
    SOCKET listenSocket = INVALID_SOCKET;
    int connections = argc > 2 ? atoi(argv[2]) : 1;
    int iResult;

    if (argc < 2) {
        printf("usage: %s <port> [connections]\n", argv[0]);
        return 1;
    }
    iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0) {
        printf("WSAStartup failed with error: %d\n", iResult);
        return 1;
    }
    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    iResult = getaddrinfo("127.0.0.1", argv[1], &hints, &result);
    if (iResult != 0) {
        printf("getaddrinfo failed with error: %d\n", iResult);
        WSACleanup();
        return 1;
    }
    listenSocket = socket(result->ai_family, result->ai_socktype, result->ai_protocol);
    if (listenSocket == INVALID_SOCKET) {
        printf("socket failed with error: %d\n", WSAGetLastError());
        freeaddrinfo(result);
        WSACleanup();
        return 1;
    }
    if (bind(listenSocket, result->ai_addr, (int)result->ai_addrlen) == SOCKET_ERROR) {
        printf("bind failed with error: %d\n", WSAGetLastError());
        freeaddrinfo(result);
        closesocket(listenSocket);
        WSACleanup();
        return 1;
    }
    freeaddrinfo(result);
    if (listen(listenSocket, SOMAXCONN) == SOCKET_ERROR) {
        printf("listen failed with error: %d\n", WSAGetLastError());
        closesocket(listenSocket);
        WSACleanup();
        return 1;
    }
    printf("listening\n");
    fflush(stdout);

    while (connections-- > 0) {
        char buf[512];
        SOCKET client = accept(listenSocket, NULL, NULL);
        if (client == INVALID_SOCKET) {
            printf("accept failed with error: %d\n", WSAGetLastError());
            break;
        }
        do {
            iResult = recv(client, buf, sizeof buf, 0);
            if (iResult > 0 && send(client, buf, iResult, 0) == SOCKET_ERROR) {
                printf("send failed with error: %d\n", WSAGetLastError());
                break;
            }
        } while (iResult > 0);
        if (iResult < 0) printf("recv failed with error: %d\n", WSAGetLastError());
        if (shutdown(client, SD_SEND) == SOCKET_ERROR)
            printf("shutdown failed with error: %d\n", WSAGetLastError());
        closesocket(client);
    }
    closesocket(listenSocket);
    WSACleanup();
    return 0;
}
