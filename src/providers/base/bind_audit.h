// Bind auditing for sockets created with WSA_FLAG_ACCESS_SYSTEM_SECURITY. On Windows such a
// socket carries a SACL, and every other socket's attempt to bind its port makes an entry in
// the security log. ws2 keeps the audited ports machine-wide as marker files and appends one
// line per attempt to a log file. See docs/architecture.md, "Auditing binds".
//
// Markers: /dev/shm/ws2-audit/<tcp|udp>.<port>/<pid>.<socket>, holding the owner's start time
// (so a marker left by a dead process, or one whose pid was reused, is recognised as stale and
// removed). Log: $WS2_AUDIT_LOG, else /var/log/ws2/audit.log; syslog(3) when it cannot be
// written. Auditing never makes a bind fail.
#pragma once
#include <cstdint>

#include "providers/base/kernel_address.h"

namespace ws2::base {

// One bind attempt of `socket` (type: SOCK_STREAM or SOCK_DGRAM, same numbers on Windows and
// Linux) to `address`. When it goes out of scope (WSPBind returning) the attempt is recorded if
// another socket audits the port; `error` is WSPBind's lpErrno, read then unless bound() was
// called.
class BindAudit {
public:
    BindAudit(std::uint64_t socket, int type, const kernel::Address &address, const int *error)
        : socket_(socket), type_(type), address_(address), error_(error) {}
    ~BindAudit();
    BindAudit(const BindAudit &) = delete;
    BindAudit &operator=(const BindAudit &) = delete;

    // The bind succeeded. An audited socket (created with WSA_FLAG_ACCESS_SYSTEM_SECURITY)
    // registers the port it now holds, the one the kernel chose for a port-0 bind included.
    void bound(bool audited);

private:
    std::uint64_t socket_;
    int type_;
    const kernel::Address &address_;
    const int *error_;
    bool succeeded_ = false;
};

// The audited socket closes: its marker goes (only in the process that registered it, so a
// forked child closing its inherited copy leaves the parent's audit in place).
void stop_auditing(std::uint64_t socket);
// The last WSPCleanup: every marker of this process goes.
void stop_all_auditing();

// Whether a live socket of any process audits (type, port); for tests and tools.
bool port_is_audited(int type, int port);
// Where records go now: $WS2_AUDIT_LOG or the default.
const char *audit_log_path();

}  // namespace ws2::base
