// Puts another open socket behind an existing descriptor number, so a Windows handle keeps its
// value while the socket behind it changes: AcceptEx (the accepted connection becomes the
// caller's pre-created socket) and socket reuse (DisconnectEx, TransmitFile with
// TF_REUSE_SOCKET). Linux side; plain ints.
#pragma once

namespace ws2::base::kernel {

// dup3(from, onto) then close(from): `onto` now refers to from's socket, whose previous socket
// is closed. 0 or -errno (then nothing changed and `from` is still open).
int move_descriptor(int from, int onto, bool inheritable);

}  // namespace ws2::base::kernel
