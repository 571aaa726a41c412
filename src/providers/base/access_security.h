// WSA_FLAG_ACCESS_SYSTEM_SECURITY: Windows grants a socket the right to carry a SACL (audit
// rules) only when SE_SECURITY_NAME ("Manage auditing and security log") is enabled in the
// caller's token. Its Linux counterpart is CAP_AUDIT_CONTROL, the capability that governs the
// kernel's audit rules. See docs/architecture.md, "Auditing binds".
#pragma once

namespace ws2::base {

// Whether the calling thread holds CAP_AUDIT_CONTROL in its effective set (capabilities are
// per thread on Linux, as privileges are per token on Windows).
bool holds_security_privilege();

}  // namespace ws2::base
