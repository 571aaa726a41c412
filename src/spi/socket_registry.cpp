#include "spi/socket_registry.h"

namespace ws2::spi {

SocketTable &sockets() {
    static SocketTable *table = new SocketTable();  // never destroyed: reads stay valid at exit
    return *table;
}

}  // namespace ws2::spi
