// WSPIoctl: FIONBIO, FIONREAD (every queued byte, as Windows reports for datagram sockets), and
// ws2_32's private WSAPoll request. Other codes are not commands of this provider: WSAEINVAL,
// as the WSPIoctl page says for an invalid command.
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

// ws2_32 reaches a provider for WSAPoll through this vendor ioctl (header-only contract).
#include "../../spi/private_ioctls.h"

namespace udgram {

int WSPAPI WSPIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                    LPDWORD returned, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                    LPWSATHREADID, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (overlapped != nullptr) return fail(lpErrno, WSAEOPNOTSUPP);  // no overlapped I/O yet
    if (returned == nullptr) return fail(lpErrno, WSAEFAULT);
    switch (code) {
        case static_cast<DWORD>(FIONBIO): {
            u_long on = 0;
            if (in == nullptr || in_size < sizeof on || !read_user_value(&on, static_cast<u_long *>(in)))
                return fail(lpErrno, WSAEFAULT);
            {
                std::lock_guard lock(state().mutex);
                // WSAEventSelect keeps the socket non-blocking.
                if (on == 0 && socket->event_mask != 0) return fail(lpErrno, WSAEINVAL);
                socket->non_blocking = on != 0;
            }
            if (!write_user_value(returned, DWORD{0})) return fail(lpErrno, WSAEFAULT);
            return 0;
        }
        case static_cast<DWORD>(FIONREAD): {
            u_long bytes;
            {
                std::lock_guard lock(state().mutex);
                bytes = static_cast<u_long>(socket->queued_bytes);
            }
            if (out == nullptr || out_size < sizeof bytes || !write_user_value(static_cast<u_long *>(out), bytes) ||
                !write_user_value(returned, static_cast<DWORD>(sizeof bytes)))
                return fail(lpErrno, WSAEFAULT);
            return 0;
        }
        case ws2::spi::kSioWs2Poll:
            return poll_sockets(in, in_size, out, out_size, returned, lpErrno);
        default:
            return fail(lpErrno, WSAEINVAL);
    }
}

}  // namespace udgram
