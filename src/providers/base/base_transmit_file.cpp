// TransmitFile: the head buffer, the file's bytes and the tail buffer sent as one stream send
// through the I/O engine, then TF_DISCONNECT / TF_REUSE_SOCKET. hFile is a Linux file
// descriptor cast to HANDLE (ws2 has no CreateFile), or NULL for buffers only. The bytes are
// read into memory first (nNumberOfBytesPerSend is a hint Windows may ignore; ws2 lets the
// kernel size the sends).
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "io/io_engine.h"
#include "providers/base/base_extensions.h"
#include "providers/base/kernel_file_read.h"
#include "win32/errno_map.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

constexpr DWORD kKnownFlags = TF_DISCONNECT | TF_REUSE_SOCKET | TF_WRITE_BEHIND | TF_USE_SYSTEM_THREAD |
                              TF_USE_KERNEL_APC;
// Windows' limit for nNumberOfBytesToWrite.
constexpr DWORD kMaxBytes = 2147483646u;

struct TransmitRequest : OverlappedRequest {
    std::vector<char> data;
    DWORD transmit_flags = 0;
    BaseSocket socket_state{};
    // A non-overlapped call waits here.
    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
};

// The send finished (r.result set): the disconnect and reuse the flags ask for; the error.
DWORD conclude(TransmitRequest &r) {
    if (r.result < 0) return error_of(r, r.result);
    if (!(r.transmit_flags & TF_DISCONNECT)) return 0;
    if (int rc = kernel::shutdown(static_cast<int>(r.socket), SD_BOTH); rc < 0)
        return static_cast<DWORD>(win32::wsa_error_from_errno(-rc));
    if (r.transmit_flags & TF_REUSE_SOCKET) return static_cast<DWORD>(reuse_socket(r.socket, r.socket_state));
    base_sockets().update(r.socket, [](BaseSocket &b) { b.state |= BaseSocket::kSendShut | BaseSocket::kReceiveShut; });
    return 0;
}

DWORD bytes_of(const TransmitRequest &r) { return r.result > 0 ? static_cast<DWORD>(r.result) : 0; }

void on_overlapped_complete(io::Request *base) {
    std::unique_ptr<TransmitRequest> r(static_cast<TransmitRequest *>(base));
    DWORD error = conclude(*r);
    win32::complete_overlapped(r->target, error, error == 0 ? bytes_of(*r) : 0, 0, /*at_once=*/false);
}

void on_waited_complete(io::Request *base) {
    auto *r = static_cast<TransmitRequest *>(base);
    std::lock_guard lock(r->mutex);
    r->finished = true;
    r->finished_cv.notify_all();
}

// Head, file bytes, tail. 0 or the Winsock error.
int gather(TransmitRequest &r, HANDLE file, DWORD count, LPOVERLAPPED overlapped, LPTRANSMIT_FILE_BUFFERS buffers) {
    TRANSMIT_FILE_BUFFERS parts{};
    if (buffers != nullptr && !win32::read_user_value(&parts, buffers)) return WSAEFAULT;
    auto append = [&r](const void *p, DWORD n) {
        if (n == 0) return true;
        if (p == nullptr) return false;
        std::size_t at = r.data.size();
        r.data.resize(at + n);
        return win32::read_user(r.data.data() + at, p, n);
    };
    if (!append(parts.Head, parts.HeadLength)) return WSAEFAULT;
    if (file != nullptr) {
        int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(file));
        std::uint64_t offset = 0;
        if (overlapped != nullptr) {
            WSAOVERLAPPED ov;
            if (!win32::read_user_value(&ov, overlapped)) return WSAEFAULT;
            offset = (std::uint64_t{ov.OffsetHigh} << 32) | ov.Offset;
        }
        int rc = kernel::read_file(fd, overlapped != nullptr, offset, count, &r.data);
        if (rc == -EBADF) return ERROR_INVALID_HANDLE;
        if (rc < 0) return win32::wsa_error_from_errno(-rc);
    }
    if (!append(parts.Tail, parts.TailLength)) return WSAEFAULT;
    return 0;
}

}  // namespace

BOOL PASCAL transmit_file(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite, DWORD nNumberOfBytesPerSend,
                          LPOVERLAPPED lpOverlapped, LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved) {
    (void)nNumberOfBytesPerSend;
    BaseSocket socket{};
    if (!base_sockets().load(hSocket, &socket)) return extension_failure(WSAENOTSOCK);
    DWORD flags = dwReserved;  // TransmitFile's last parameter carries the TF_* flags
    if ((flags & ~kKnownFlags) != 0 || ((flags & TF_REUSE_SOCKET) && !(flags & TF_DISCONNECT)) ||
        nNumberOfBytesToWrite > kMaxBytes)
        return extension_failure(WSAEINVAL);
    if (!socket.stream() || !(socket.state & BaseSocket::kConnected)) return extension_failure(WSAENOTCONN);
    bool overlapped = runs_overlapped(socket, lpOverlapped);
    if (overlapped && mark_pending(lpOverlapped) != 0) return extension_failure(WSAEFAULT);

    auto r = std::unique_ptr<TransmitRequest>(new (std::nothrow) TransmitRequest());
    if (!r) return extension_failure(WSAENOBUFS);
    if (int e = gather(*r, hFile, nNumberOfBytesToWrite, overlapped ? lpOverlapped : nullptr, lpTransmitBuffers)) {
        if (overlapped) lpOverlapped->Internal = win32::status_from_error(static_cast<DWORD>(e));
        return extension_failure(e);
    }
    r->kind = io::Request::Kind::kSend;
    r->whole = true;
    r->fd = static_cast<int>(hSocket);
    r->socket = hSocket;
    r->stream = true;
    r->transmit_flags = flags;
    r->socket_state = socket;
    io::Buffer all{static_cast<std::uint32_t>(r->data.size()), r->data.data()};
    r->set_buffers(&all, 1);

    if (overlapped) {
        r->target = win32::target_for(hSocket, lpOverlapped, nullptr);
        r->on_complete = on_overlapped_complete;
        if (!r->data.empty() && io::engine().start(r.get()) == io::Engine::Start::kPending) {
            r.release();
            return extension_failure(WSA_IO_PENDING);
        }
        DWORD error = conclude(*r);
        if (error != 0) {
            lpOverlapped->Internal = win32::status_from_error(error);
            return extension_failure(static_cast<int>(error));
        }
        win32::complete_overlapped(r->target, 0, bytes_of(*r), 0, /*at_once=*/true);
        win32::set_last_error(0);
        return TRUE;
    }
    r->on_complete = on_waited_complete;
    if (!r->data.empty() && io::engine().start(r.get()) == io::Engine::Start::kPending) {
        std::unique_lock lock(r->mutex);
        r->finished_cv.wait(lock, [&r] { return r->finished; });
    }
    if (DWORD error = conclude(*r)) return extension_failure(static_cast<int>(error));
    win32::set_last_error(0);
    return TRUE;
}

}  // namespace ws2::base
