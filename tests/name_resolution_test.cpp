#include "support/winsock_test.h"
