/* Lists the protocol catalog the way a Windows program sees it: WSAEnumProtocolsW. */
#include <winsock2.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    WSADATA wsa;
    int rc = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (rc != 0) {
        printf("WSAStartup failed: %d\n", rc);
        return 1;
    }
    DWORD len = 0;
    if (WSAEnumProtocolsW(NULL, NULL, &len) != SOCKET_ERROR || WSAGetLastError() != WSAENOBUFS) {
        printf("WSAEnumProtocolsW sizing failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }
    WSAPROTOCOL_INFOW *infos = (WSAPROTOCOL_INFOW *)malloc(len);
    int n = WSAEnumProtocolsW(NULL, infos, &len);
    if (n == SOCKET_ERROR) {
        printf("WSAEnumProtocolsW failed: %d\n", WSAGetLastError());
        free(infos);
        WSACleanup();
        return 1;
    }
    printf("%d protocols (%s, %s)\n", n, wsa.szDescription, wsa.szSystemStatus);
    printf("%-6s %-26s %-6s %-5s %-5s %-10s %s\n", "Id", "Protocol", "Family", "Type", "Proto",
           "Flags", "Max msg");
    for (int i = 0; i < n; ++i) {
        printf("%-6lu %-26ls %-6d %-5d %-5d 0x%08lx %lu\n",
               (unsigned long)infos[i].dwCatalogEntryId, infos[i].szProtocol,
               infos[i].iAddressFamily, infos[i].iSocketType, infos[i].iProtocol,
               (unsigned long)infos[i].dwServiceFlags1, (unsigned long)infos[i].dwMessageSize);
    }
    free(infos);
    WSACleanup();
    return 0;
}
