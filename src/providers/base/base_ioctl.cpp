// WSPIoctl of the base provider: the socket controls Windows answers synchronously.
#include <mstcpip.h>
#include <mswsock.h>

#include <cstddef>
#include <vector>

#include "providers/base/base_extensions.h"
#include "providers/base/base_state.h"
#include "providers/base/kernel_interfaces.h"
#include "providers/base/kernel_socket.h"
#include "spi/private_ioctls.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

template <class T>
bool read_in(LPVOID in, DWORD in_size, T *value) {
    return in != nullptr && in_size >= sizeof(T) && win32::read_user(value, in, sizeof(T));
}

template <class T>
int write_out(const T &value, LPVOID out, DWORD out_size, LPDWORD returned, LPINT err) {
    if (out == nullptr || out_size < sizeof(T) || !win32::write_user(out, &value, sizeof(T)))
        return fail(err, WSAEFAULT);
    if (!win32::write_user_value(returned, static_cast<DWORD>(sizeof(T)))) return fail(err, WSAEFAULT);
    return 0;
}

}  // namespace

int WSPAPI WSPIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                    LPDWORD returned, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                    LPWSATHREADID, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (overlapped != nullptr) return fail(lpErrno, WSAEOPNOTSUPP);  // arrives with the I/O engine
    if (returned == nullptr) return fail(lpErrno, WSAEFAULT);
    int fd = static_cast<int>(s);
    switch (code) {
        case static_cast<DWORD>(FIONBIO): {
            u_long on = 0;
            if (!read_in(in, in_size, &on)) return fail(lpErrno, WSAEFAULT);
            // WSAEventSelect keeps the socket non-blocking.
            if (on == 0 && (socket.state & BaseSocket::kEventSelect)) return fail(lpErrno, WSAEINVAL);
            if (int rc = kernel::set_nonblocking(fd, on != 0)) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
            base_sockets().update(s, [on](BaseSocket &b) {
                b.state = on ? (b.state | BaseSocket::kNonBlocking) : (b.state & ~BaseSocket::kNonBlocking);
            });
            return win32::write_user_value(returned, DWORD{0}) ? 0 : fail(lpErrno, WSAEFAULT);
        }
        case static_cast<DWORD>(FIONREAD): {
            unsigned long n = 0;
            int rc = socket.type == SOCK_DGRAM ? kernel::datagram_bytes_queued(fd, &n) : kernel::bytes_readable(fd, &n);
            if (rc != 0) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
            return write_out(static_cast<u_long>(n), out, out_size, returned, lpErrno);
        }
        case static_cast<DWORD>(SIOCATMARK): {
            // TRUE when no out-of-band data is waiting (all of it has been read).
            bool pending = false;
            if (socket.stream()) kernel::out_of_band_pending(fd, &pending);
            return write_out(static_cast<u_long>(pending ? FALSE : TRUE), out, out_size, returned, lpErrno);
        }
        case static_cast<DWORD>(SIO_BASE_HANDLE):
            return write_out(s, out, out_size, returned, lpErrno);
        case static_cast<DWORD>(SIO_KEEPALIVE_VALS): {
            tcp_keepalive values{};
            if (!read_in(in, in_size, &values)) return fail(lpErrno, WSAEFAULT);
            if (!socket.stream()) return fail(lpErrno, WSAEOPNOTSUPP);
            if (int rc = kernel::set_keepalive(fd, values.onoff != 0, values.keepalivetime, values.keepaliveinterval))
                return fail(lpErrno, win32::wsa_error_from_errno(-rc));
            return win32::write_user_value(returned, DWORD{0}) ? 0 : fail(lpErrno, WSAEFAULT);
        }
        case static_cast<DWORD>(SIO_UDP_CONNRESET): {
            BOOL report = FALSE;
            if (!read_in(in, in_size, &report)) return fail(lpErrno, WSAEFAULT);
            base_sockets().update(s, [report](BaseSocket &b) {
                b.state = report ? (b.state & ~BaseSocket::kNoUdpConnReset) : (b.state | BaseSocket::kNoUdpConnReset);
            });
            return win32::write_user_value(returned, DWORD{0}) ? 0 : fail(lpErrno, WSAEFAULT);
        }
        case static_cast<DWORD>(SIO_GET_EXTENSION_FUNCTION_POINTER): {
            GUID id;
            if (!read_in(in, in_size, &id)) return fail(lpErrno, WSAEFAULT);
            void *function = extension_function(id);
            if (function == nullptr) return fail(lpErrno, WSAEINVAL);  // an unknown GUID
            return write_out(function, out, out_size, returned, lpErrno);
        }
        case static_cast<DWORD>(SIO_ADDRESS_LIST_QUERY): {
            // SOCKET_ADDRESS_LIST, then the sockaddrs its entries point to, in one buffer.
            std::vector<kernel::Address> addresses;
            if (int rc = kernel::interface_addresses(socket.af, &addresses))
                return fail(lpErrno, win32::wsa_error_from_errno(-rc));
            std::size_t header = offsetof(SOCKET_ADDRESS_LIST, Address) + addresses.size() * sizeof(SOCKET_ADDRESS);
            if (addresses.empty()) header = sizeof(SOCKET_ADDRESS_LIST);
            std::size_t required = header;
            for (auto &a : addresses) required += static_cast<std::size_t>(kernel::windows_length(a));
            if (out == nullptr || out_size < required) {
                win32::write_user_value(returned, static_cast<DWORD>(required));
                return fail(lpErrno, WSAEFAULT);
            }
            std::vector<char> buffer(required, 0);
            auto *list = reinterpret_cast<SOCKET_ADDRESS_LIST *>(buffer.data());
            list->iAddressCount = static_cast<INT>(addresses.size());
            std::size_t at = header;
            for (std::size_t i = 0; i < addresses.size(); ++i) {
                int len = kernel::windows_length(addresses[i]);
                kernel::address_to_windows(addresses[i], buffer.data() + at, &len);
                list->Address[i].lpSockaddr = reinterpret_cast<LPSOCKADDR>(static_cast<char *>(out) + at);
                list->Address[i].iSockaddrLength = len;
                at += static_cast<std::size_t>(len);
            }
            if (!win32::write_user(out, buffer.data(), required) ||
                !win32::write_user_value(returned, static_cast<DWORD>(required)))
                return fail(lpErrno, WSAEFAULT);
            return 0;
        }
        case spi::kSioWs2Poll: {
            // From ws2_32 itself: in points to its own request, out to an int.
            if (in == nullptr || in_size != sizeof(spi::PollRequest) || out == nullptr || out_size < sizeof(int))
                return fail(lpErrno, WSAEINVAL);
            int n = poll_sockets(*static_cast<spi::PollRequest *>(in), lpErrno);
            if (n == SOCKET_ERROR) return SOCKET_ERROR;
            *static_cast<int *>(out) = n;
            *returned = sizeof(int);
            return 0;
        }
        default:
            win32::write_user_value(returned, DWORD{0});
            return fail(lpErrno, WSAEOPNOTSUPP);
    }
}

}  // namespace ws2::base
