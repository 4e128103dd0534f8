// The key files an inventory names, checked by the reading rule (base/read_file.h) when it is
// loaded: libssh and OpenSSL open them themselves, and a FIFO or device there would block a
// connection past every timeout.
#pragma once

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

/// Every node's (and jump host's) identity file and known_hosts, and the etcd lock's TLS CA,
/// certificate and key, must each be a regular file of at most kMaxKeyFileBytes, or absent (the
/// connection says what that means). Otherwise an error naming the inventory, the node or
/// lock.etcd, and the file, before anything connects.
Status CheckKeyFiles(const Inventory& inv);

}  // namespace shardctl
