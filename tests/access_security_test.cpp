// WSA_FLAG_ACCESS_SYSTEM_SECURITY (seed 002): creating such a socket needs SE_SECURITY_NAME,
// which ws2 maps to CAP_AUDIT_CONTROL (WSAEACCES without it); once it has bound a port, every
// other socket's attempt to bind that port, from any process, makes one audit record in the log
// named by WS2_AUDIT_LOG.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "providers/base/bind_audit.h"
#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace ws2test {
namespace {

constexpr DWORD kAudit = WSA_FLAG_ACCESS_SYSTEM_SECURITY | WSA_FLAG_OVERLAPPED;

// Removes CAP_AUDIT_CONTROL from the calling thread's effective set (it stays permitted).
bool drop_audit_control() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    data[CAP_TO_INDEX(CAP_AUDIT_CONTROL)].effective &= ~CAP_TO_MASK(CAP_AUDIT_CONTROL);
    return syscall(SYS_capset, &header, data) == 0;
}

// A Winsock error as a child's exit code (WSAEACCES -> 13), 0 for success.
int as_exit_code(int wsa_error) { return wsa_error == 0 ? 0 : wsa_error - WSABASEERR; }

class AccessSecurityTest : public WinsockTest {};

TEST_F(AccessSecurityTest, CreationWithTheCapabilitySucceeds) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (CAP_AUDIT_CONTROL)";
    struct Triple {
        int af, type, protocol;
    };
    for (Triple t : {Triple{AF_INET, SOCK_STREAM, IPPROTO_TCP}, Triple{AF_INET, SOCK_DGRAM, IPPROTO_UDP},
                     Triple{AF_INET6, SOCK_STREAM, 0}, Triple{AF_INET6, SOCK_DGRAM, 0}}) {
        arm_last_error();
        SOCKET s = WSASocketW(t.af, t.type, t.protocol, nullptr, 0, kAudit);
        ASSERT_NE(s, INVALID_SOCKET) << WSAGetLastError();
        EXPECT_EQ(WSAGetLastError(), 0);
        EXPECT_EQ(closesocket(s), 0);
    }
}

// A process whose token lacks the privilege: WSAEACCES, and no descriptor is left behind. The
// same process still creates sockets without the flag.
TEST_F(AccessSecurityTest, CreationWithoutTheCapabilityIsWSAEACCES) {
    int code = run_in_child([] {
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0 || !drop_audit_control()) return 255;
        int before = count_open_fds();
        arm_last_error();
        SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, kAudit);
        if (s != INVALID_SOCKET) return 0;
        int error = WSAGetLastError();
        if (count_open_fds() != before) return 254;
        SOCKET plain = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        if (plain == INVALID_SOCKET) return 253;
        return as_exit_code(error);
    });
    EXPECT_EQ(code, as_exit_code(WSAEACCES));
}

// Linux capabilities, like the token Windows checks, belong to the calling thread.
TEST_F(AccessSecurityTest, ThePrivilegeIsTheCallingThreads) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (CAP_AUDIT_CONTROL)";
    int error = -1;
    std::thread([&] {
        if (!drop_audit_control()) return;
        SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kAudit);
        error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
        if (s != INVALID_SOCKET) closesocket(s);
    }).join();
    EXPECT_EQ(error, WSAEACCES);
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kAudit);
    EXPECT_NE(s, INVALID_SOCKET) << "this thread still holds the capability";
    closesocket(s);
}

// ---- audit records -----------------------------------------------------------------------------

// Points WS2_AUDIT_LOG at a fresh file for the test and restores the environment afterwards.
class BindAuditTest : public WinsockTest {
protected:
    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root (CAP_AUDIT_CONTROL)";
        const char *old = std::getenv("WS2_AUDIT_LOG");
        had_old_ = old != nullptr;
        if (had_old_) old_ = old;
        char templ[] = "/tmp/ws2-audit-test-XXXXXX";
        ASSERT_EQ(mkstemp_path(templ), 0);
        log_ = templ;
        setenv("WS2_AUDIT_LOG", log_.c_str(), 1);
        WinsockTest::SetUp();
    }
    void TearDown() override {
        if (log_.empty()) return;  // skipped
        WinsockTest::TearDown();
        remove_path(log_.c_str());
        if (had_old_)
            setenv("WS2_AUDIT_LOG", old_.c_str(), 1);
        else
            unsetenv("WS2_AUDIT_LOG");
    }

    // The records about `port`, each as its key=value fields.
    std::vector<std::map<std::string, std::string>> records_for(u_short port) const {
        std::vector<std::map<std::string, std::string>> out;
        std::ifstream in(log_);
        for (std::string line; std::getline(in, line);) {
            std::map<std::string, std::string> fields;
            std::istringstream words(line);
            for (std::string word; words >> word;) {
                auto eq = word.find('=');
                if (eq != std::string::npos) fields[word.substr(0, eq)] = word.substr(eq + 1);
            }
            if (fields["port"] == std::to_string(port)) out.push_back(fields);
        }
        return out;
    }

    std::string log_;

private:
    bool had_old_ = false;
    std::string old_;
};

u_short port_of(SOCKET s) {
    sockaddr_in a{};
    int len = sizeof a;
    EXPECT_EQ(getsockname(s, sa(&a), &len), 0);
    return ntohs(a.sin_port);
}

// An audited TCP listener on 127.0.0.1 with a port of the kernel's choosing.
SOCKET audited_listener(u_short *port) {
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, kAudit);
    EXPECT_NE(s, INVALID_SOCKET);
    sockaddr_in lo = loopback4();
    EXPECT_EQ(bind(s, sa(&lo), sizeof lo), 0);
    EXPECT_EQ(listen(s, SOMAXCONN), 0);
    *port = port_of(s);
    return s;
}

// bind's result as a Winsock error (0 for success), the socket closed again.
int try_bind(int type, u_short port) {
    SOCKET s = socket(AF_INET, type, 0);
    sockaddr_in lo = loopback4(port);
    int error = bind(s, sa(&lo), sizeof lo) == 0 ? 0 : WSAGetLastError();
    closesocket(s);
    return error;
}

TEST_F(BindAuditTest, BindsOfTheAuditedPortFromAnyProcessAreRecorded) {
    u_short port = 0;
    SOCKET audited = audited_listener(&port);
    ASSERT_NE(port, 0);
    EXPECT_TRUE(ws2::base::port_is_audited(SOCK_STREAM, port));
    EXPECT_TRUE(records_for(port).empty()) << "the audited socket's own bind is not recorded";

    // Another socket of this process.
    EXPECT_EQ(try_bind(SOCK_STREAM, port), WSAEADDRINUSE);
    // A socket of another process, which starts Winsock itself.
    int child_error = run_in_child([port] {
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 255;
        return as_exit_code(try_bind(SOCK_STREAM, port));
    });
    EXPECT_EQ(child_error, as_exit_code(WSAEADDRINUSE));

    auto records = records_for(port);
    ASSERT_EQ(records.size(), 2u);
    std::string me = std::to_string(getpid());
    EXPECT_EQ(records[0]["pid"], me);
    EXPECT_NE(records[1]["pid"], me);
    for (auto &r : records) {
        EXPECT_EQ(r["event"], "bind-attempt-on-audited-port");
        EXPECT_EQ(r["protocol"], "tcp");
        EXPECT_EQ(r["address"], "127.0.0.1");
        EXPECT_EQ(r["result"], "WSAEADDRINUSE");
        EXPECT_EQ(r["error"], std::to_string(WSAEADDRINUSE));
        EXPECT_EQ(r["audited_by_pid"], me);
        EXPECT_EQ(r["exe"], "ws2_tests");
        EXPECT_EQ(r["time"].size(), std::string("2000-01-01T00:00:00.000000Z").size()) << r["time"];
        EXPECT_EQ(r["time"].back(), 'Z');
    }

    // Other ports, and the same number for another protocol, are not audited. (The UDP socket
    // takes 127.0.0.2: this process's address-sharing table does not tell protocols apart.)
    EXPECT_EQ(try_bind(SOCK_STREAM, 0), 0);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    sockaddr_in second_loopback = loopback4(port);
    second_loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
    EXPECT_EQ(bind(udp, sa(&second_loopback), sizeof second_loopback), 0) << WSAGetLastError();
    closesocket(udp);
    sockaddr_in other = unused_loopback_port();
    EXPECT_EQ(try_bind(SOCK_STREAM, ntohs(other.sin_port)), 0);
    EXPECT_EQ(records_for(port).size(), 2u);
    EXPECT_TRUE(records_for(ntohs(other.sin_port)).empty());

    // Once the audited socket is closed, binds of its port make no record.
    EXPECT_EQ(closesocket(audited), 0);
    EXPECT_FALSE(ws2::base::port_is_audited(SOCK_STREAM, port));
    EXPECT_EQ(try_bind(SOCK_STREAM, port), 0);
    EXPECT_EQ(records_for(port).size(), 2u);
}

// A bind that succeeds (both datagram sockets share the port) is recorded as a success.
TEST_F(BindAuditTest, ASuccessfulBindIsRecordedToo) {
    SOCKET audited = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kAudit);
    ASSERT_NE(audited, INVALID_SOCKET);
    BOOL on = TRUE;
    ASSERT_EQ(setsockopt(audited, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<char *>(&on), sizeof on), 0);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(audited, sa(&lo), sizeof lo), 0);
    u_short port = port_of(audited);

    SOCKET sharer = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ASSERT_EQ(setsockopt(sharer, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<char *>(&on), sizeof on), 0);
    sockaddr_in same = loopback4(port);
    EXPECT_EQ(bind(sharer, sa(&same), sizeof same), 0);

    auto records = records_for(port);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0]["protocol"], "udp");
    EXPECT_EQ(records[0]["result"], "success");
    EXPECT_EQ(records[0]["error"], "0");
    closesocket(sharer);
    closesocket(audited);
}

TEST_F(BindAuditTest, OnlySocketsWithTheFlagAuditTheirPort) {
    SOCKET plain = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(plain, sa(&lo), sizeof lo), 0);
    ASSERT_EQ(listen(plain, 1), 0);
    u_short port = port_of(plain);
    EXPECT_FALSE(ws2::base::port_is_audited(SOCK_STREAM, port));
    EXPECT_EQ(try_bind(SOCK_STREAM, port), WSAEADDRINUSE);
    EXPECT_TRUE(records_for(port).empty());
    closesocket(plain);
}

// A process that dies without closing its audited socket leaves a stale marker, which is
// recognised and removed: the port is no longer audited.
TEST_F(BindAuditTest, TheAuditEndsWithTheOwningProcess) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::fflush(nullptr);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        WSADATA data;
        u_short port = 0;
        if (WSAStartup(MAKEWORD(2, 2), &data) == 0) audited_listener(&port);
        ssize_t ignored = write(fds[1], &port, sizeof port);
        (void)ignored;
        _exit(0);  // no closesocket, no WSACleanup
    }
    close(fds[1]);
    u_short port = 0;
    ASSERT_EQ(read(fds[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_NE(port, 0);
    EXPECT_FALSE(ws2::base::port_is_audited(SOCK_STREAM, port));
    EXPECT_EQ(try_bind(SOCK_STREAM, port), 0);
    EXPECT_TRUE(records_for(port).empty());
}

// The last WSACleanup closes the audited socket, and its audit with it.
TEST_F(BindAuditTest, WSACleanupEndsTheAudit) {
    u_short port = 0;
    audited_listener(&port);
    ASSERT_TRUE(ws2::base::port_is_audited(SOCK_STREAM, port));
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_FALSE(ws2::base::port_is_audited(SOCK_STREAM, port));
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);  // for the fixture's WSACleanup
    EXPECT_EQ(try_bind(SOCK_STREAM, port), 0);
    EXPECT_TRUE(records_for(port).empty());
}

// Auditing never changes a bind's result: with a log that cannot be written, the record goes
// to syslog and the bind still reports what it would have.
TEST_F(BindAuditTest, AnUnwritableLogDoesNotAffectBind) {
    u_short port = 0;
    SOCKET audited = audited_listener(&port);
    setenv("WS2_AUDIT_LOG", "/proc/ws2-no-such-directory/audit.log", 1);
    EXPECT_EQ(try_bind(SOCK_STREAM, port), WSAEADDRINUSE);
    setenv("WS2_AUDIT_LOG", log_.c_str(), 1);
    EXPECT_TRUE(records_for(port).empty());
    closesocket(audited);
}

}  // namespace
}  // namespace ws2test
