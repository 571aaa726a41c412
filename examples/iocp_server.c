/* A completion-port echo server in the classic Windows style: the main thread accepts, each
 * connection gets a context from the process heap kept in a list under a critical section, and
 * worker threads (two per processor) echo with overlapped WSARecv/WSASend completed through one
 * I/O completion port. Ctrl+C (or SIGTERM/SIGHUP, a close event) shuts the server down: one empty
 * completion per worker, wait for the workers, close every socket, collect the aborted requests,
 * close the port, WSACleanup.
 * usage: iocp_server <port> [max_clients_then_exit] */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

#define IO_BUFFER_SIZE 4096
#define MAX_WORKERS 64

typedef enum _IO_KIND { IoRead, IoWrite } IO_KIND;

/* One per connection; the OVERLAPPED comes first and only one request is in flight at a time. */
typedef struct _CONNECTION {
    WSAOVERLAPPED Overlapped;
    SOCKET Socket;
    IO_KIND Kind;
    DWORD BytesToSend;
    DWORD BytesSent;
    WSABUF Buffer;
    struct _CONNECTION *Prev;
    struct _CONNECTION *Next;
    char Data[IO_BUFFER_SIZE];
} CONNECTION;

static HANDLE g_hPort = NULL;
static HANDLE g_hEndEvent = NULL;
static CRITICAL_SECTION g_ListLock;
static CONNECTION *g_Connections = NULL;
static volatile LONG g_Finished = 0;
static volatile LONG g_Accepted = 0;

static BOOL WINAPI CtrlHandler(DWORD dwEvent) {
    switch (dwEvent) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        SetEvent(g_hEndEvent);
        return TRUE;
    case CTRL_CLOSE_EVENT:
        /* The process ends when this handler returns, so give the main thread the time Windows
         * gives a closing console (about 5 s) to shut down and exit by itself. */
        SetEvent(g_hEndEvent);
        Sleep(5000);
        return TRUE;
    default:
        return FALSE;
    }
}

static void ListInsert(CONNECTION *conn) {
    EnterCriticalSection(&g_ListLock);
    conn->Prev = NULL;
    conn->Next = g_Connections;
    if (g_Connections != NULL) g_Connections->Prev = conn;
    g_Connections = conn;
    LeaveCriticalSection(&g_ListLock);
}

static void ListRemove(CONNECTION *conn) {
    EnterCriticalSection(&g_ListLock);
    if (conn->Prev != NULL) conn->Prev->Next = conn->Next;
    else g_Connections = conn->Next;
    if (conn->Next != NULL) conn->Next->Prev = conn->Prev;
    LeaveCriticalSection(&g_ListLock);
}

/* Ends a connection whose request completed (or could not be issued). */
static void CloseConnection(CONNECTION *conn) {
    ListRemove(conn);
    if (conn->Socket != INVALID_SOCKET) closesocket(conn->Socket);
    HeapFree(GetProcessHeap(), 0, conn);
    InterlockedIncrement(&g_Finished);
}

/* Issues the next request; FALSE when it failed at once (nothing will complete). */
static BOOL PostReceive(CONNECTION *conn) {
    DWORD flags = 0;
    ZeroMemory(&conn->Overlapped, sizeof(conn->Overlapped));
    conn->Kind = IoRead;
    conn->Buffer.buf = conn->Data;
    conn->Buffer.len = IO_BUFFER_SIZE;
    if (WSARecv(conn->Socket, &conn->Buffer, 1, NULL, &flags, &conn->Overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        printf("WSARecv failed: %d\n", WSAGetLastError());
        return FALSE;
    }
    return TRUE;
}

static BOOL PostSend(CONNECTION *conn) {
    ZeroMemory(&conn->Overlapped, sizeof(conn->Overlapped));
    conn->Kind = IoWrite;
    conn->Buffer.buf = conn->Data + conn->BytesSent;
    conn->Buffer.len = conn->BytesToSend - conn->BytesSent;
    if (WSASend(conn->Socket, &conn->Buffer, 1, NULL, 0, &conn->Overlapped, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        printf("WSASend failed: %d\n", WSAGetLastError());
        return FALSE;
    }
    return TRUE;
}

static DWORD WINAPI WorkerThread(LPVOID lpParam) {
    (void)lpParam;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED overlapped = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_hPort, &bytes, &key, &overlapped, INFINITE);
        CONNECTION *conn = (CONNECTION *)key;
        BOOL next;
        if (overlapped == NULL) break; /* the shutdown packet, or the port is gone */
        if (!ok || bytes == 0) {       /* an error, or the client closed its side */
            CloseConnection(conn);
            continue;
        }
        if (conn->Kind == IoRead) {
            conn->BytesToSend = bytes;
            conn->BytesSent = 0;
            next = PostSend(conn);
        } else {
            conn->BytesSent += bytes;
            next = conn->BytesSent < conn->BytesToSend ? PostSend(conn) : PostReceive(conn);
        }
        if (!next) CloseConnection(conn);
    }
    return 0;
}

static SOCKET CreateListener(const char *port) {
    struct addrinfo hints, *result = NULL;
    SOCKET s;
    ZeroMemory(&hints, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    if (getaddrinfo(NULL, port, &hints, &result) != 0) {
        printf("getaddrinfo failed: %d\n", WSAGetLastError());
        return INVALID_SOCKET;
    }
    s = WSASocket(result->ai_family, result->ai_socktype, result->ai_protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) {
        printf("WSASocket failed: %d\n", WSAGetLastError());
    } else if (bind(s, result->ai_addr, (int)result->ai_addrlen) == SOCKET_ERROR ||
               listen(s, SOMAXCONN) == SOCKET_ERROR) {
        printf("bind/listen failed: %d\n", WSAGetLastError());
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(result);
    return s;
}

/* Waits up to 100 ms for a connection; accepts it and starts its first receive. */
static void AcceptOne(SOCKET listener) {
    fd_set readable = {0}; /* zeroed: some compilers cannot see that FD_ZERO is enough */
    struct timeval tv = {0, 100000};
    CONNECTION *conn;
    SOCKET s;
    FD_ZERO(&readable);
    FD_SET(listener, &readable);
    if (select(0, &readable, NULL, NULL, &tv) <= 0) return;
    s = accept(listener, NULL, NULL);
    if (s == INVALID_SOCKET) {
        printf("accept failed: %d\n", WSAGetLastError());
        return;
    }
    conn = (CONNECTION *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(CONNECTION));
    if (conn == NULL) {
        printf("HeapAlloc failed\n");
        closesocket(s);
        return;
    }
    conn->Socket = s;
    InterlockedIncrement(&g_Accepted);
    if (CreateIoCompletionPort((HANDLE)s, g_hPort, (ULONG_PTR)conn, 0) == NULL) {
        printf("CreateIoCompletionPort failed: %lu\n", (unsigned long)GetLastError());
        ListInsert(conn);
        CloseConnection(conn);
        return;
    }
    ListInsert(conn);
    if (!PostReceive(conn)) CloseConnection(conn);
}

/* After the workers have gone: close every socket, then take each aborted request's packet from
 * the port before freeing its context (its OVERLAPPED is in use until then). */
static void CloseAllConnections(void) {
    CONNECTION *conn;
    EnterCriticalSection(&g_ListLock);
    for (conn = g_Connections; conn != NULL; conn = conn->Next) {
        closesocket(conn->Socket);
        conn->Socket = INVALID_SOCKET;
    }
    LeaveCriticalSection(&g_ListLock);
    while (g_Connections != NULL) {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED overlapped = NULL;
        GetQueuedCompletionStatus(g_hPort, &bytes, &key, &overlapped, 5000);
        if (overlapped == NULL) {
            printf("a request did not complete after its socket was closed\n");
            break;
        }
        CloseConnection((CONNECTION *)key);
    }
}

int main(int argc, char **argv) {
    WSADATA wsaData;
    SYSTEM_INFO systemInfo;
    HANDLE threads[MAX_WORKERS];
    DWORD workers, i;
    SOCKET listener;
    LONG maxClients = 0;
    int rc;

    if (argc < 2 || argc > 3) {
        printf("usage: %s <port> [max_clients_then_exit]\n", argv[0]);
        return 1;
    }
    if (argc == 3) maxClients = atol(argv[2]);
    if ((rc = WSAStartup(MAKEWORD(2, 2), &wsaData)) != 0) {
        printf("WSAStartup failed: %d\n", rc);
        return 1;
    }
    if (!InitializeCriticalSectionAndSpinCount(&g_ListLock, 4000)) {
        printf("InitializeCriticalSectionAndSpinCount failed: %lu\n", (unsigned long)GetLastError());
        WSACleanup();
        return 1;
    }
    g_hEndEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
    if (g_hEndEvent == NULL || !SetConsoleCtrlHandler(CtrlHandler, TRUE)) {
        printf("CreateEvent/SetConsoleCtrlHandler failed: %lu\n", (unsigned long)GetLastError());
        WSACleanup();
        return 1;
    }
    g_hPort = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (g_hPort == NULL) {
        printf("CreateIoCompletionPort failed: %lu\n", (unsigned long)GetLastError());
        WSACleanup();
        return 1;
    }
    GetSystemInfo(&systemInfo);
    workers = systemInfo.dwNumberOfProcessors * 2;
    if (workers > MAX_WORKERS) workers = MAX_WORKERS;
    for (i = 0; i < workers; ++i) {
        threads[i] = CreateThread(NULL, 0, WorkerThread, NULL, 0, NULL);
        if (threads[i] == NULL) {
            printf("CreateThread failed: %lu\n", (unsigned long)GetLastError());
            workers = i;
            SetEvent(g_hEndEvent);
            break;
        }
    }
    listener = CreateListener(argv[1]);
    if (listener == INVALID_SOCKET) SetEvent(g_hEndEvent);
    else printf("iocp_server: listening on port %s with %lu workers\n", argv[1], (unsigned long)workers);
    fflush(stdout);

    while (WaitForSingleObject(g_hEndEvent, 0) == WAIT_TIMEOUT) {
        if (maxClients > 0 && InterlockedCompareExchange(&g_Finished, 0, 0) >= maxClients) break;
        AcceptOne(listener);
    }

    for (i = 0; i < workers; ++i) PostQueuedCompletionStatus(g_hPort, 0, 0, NULL);
    if (workers > 0) WaitForMultipleObjects(workers, threads, TRUE, INFINITE);
    for (i = 0; i < workers; ++i) CloseHandle(threads[i]);
    if (listener != INVALID_SOCKET) closesocket(listener);
    CloseAllConnections();
    CloseHandle(g_hPort);
    SetConsoleCtrlHandler(CtrlHandler, FALSE);
    CloseHandle(g_hEndEvent);
    DeleteCriticalSection(&g_ListLock);
    WSACleanup();
    printf("iocp_server: shut down cleanly after %ld clients\n", (long)g_Accepted);
    return listener == INVALID_SOCKET ? 1 : 0;
}
