#include "transport/ssh_connect.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "base/read_file.h"

namespace shardctl {

namespace {

// Cheap on both ends and supported by every OpenSSH since 6.5; the classic ones stay as fallback.
constexpr const char* kKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
    "diffie-hellman-group14-sha256";
constexpr const char* kCiphers =
    "aes128-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr,"
    "aes256-ctr";

std::mutex g_known_hosts_write_mu;

struct SessionDeleter {
  void operator()(ssh_session s) const {
    ssh_disconnect(s);
    ssh_free(s);
  }
};
using SessionPtr = std::unique_ptr<std::remove_pointer_t<ssh_session>, SessionDeleter>;

struct KeyDeleter {
  void operator()(ssh_key k) const { ssh_key_free(k); }
};
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;

std::string Where(const Node& node) {
  return (node.ssh.user.empty() ? "" : node.ssh.user + "@") + KnownHostsName(node.ssh);
}

Status SetOptions(ssh_session s, const Node& node, const SshConnectParams& p) {
  bool no_config = false;
  int port = node.ssh.port;
  int nodelay = 1;
  bool ok = ssh_options_set(s, SSH_OPTIONS_HOST, node.ssh.host.c_str()) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_PORT, &port) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no_config) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, p.known_hosts.c_str()) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_KEY_EXCHANGE, kKex) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_CIPHERS_C_S, kCiphers) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_CIPHERS_S_C, kCiphers) == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_COMPRESSION, "no") == SSH_OK &&
            ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay) == SSH_OK;
  if (ok && !node.ssh.user.empty()) {
    ok = ssh_options_set(s, SSH_OPTIONS_USER, node.ssh.user.c_str()) == SSH_OK;
  }
  if (ok && p.fd >= 0) {
    socket_t fd = p.fd;
    ok = ssh_options_set(s, SSH_OPTIONS_FD, &fd) == SSH_OK;
  }
  if (!ok) return Status::Invalid(Where(node) + ": bad SSH option: " + ssh_get_error(s));
  SetSessionTimeout(s, p.timeout);
  return Status::Ok();
}

void SetKeepalive(ssh_session s, Duration keepalive) {
  int secs = static_cast<int>(keepalive.count() / 1000);
  if (secs <= 0) return;
  int fd = ssh_get_fd(s);
  int on = 1;
  int count = 3;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &secs, sizeof secs);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &secs, sizeof secs);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

/// "ssh-ed25519 SHA256:..." for the server's key, as OpenSSH prints it.
std::string ServerKeyDescription(ssh_session s) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(s, &raw) != SSH_OK) return "(server key unavailable)";
  KeyPtr key(raw);
  unsigned char* hash = nullptr;
  size_t len = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0) {
    return "(fingerprint unavailable)";
  }
  char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
  ssh_clean_pubkey_hash(&hash);
  std::string out = std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " +
                    (fp != nullptr ? fp : "(fingerprint unavailable)");
  ssh_string_free_char(fp);
  return out;
}

Status AcceptNewKey(ssh_session s, const Node& node, const SshConnectParams& p) {
  std::lock_guard<std::mutex> lock(g_known_hosts_write_mu);
  // Another thread may have recorded the same endpoint meanwhile.
  if (ssh_session_is_known_server(s) == SSH_KNOWN_HOSTS_OK) return Status::Ok();
  if (ssh_session_update_known_hosts(s) != SSH_OK) {
    return Status::HostKey(Where(node) + ": cannot record host key in " + p.known_hosts + ": " +
                           ssh_get_error(s));
  }
  return Status::Ok();
}

Status CheckHostKey(ssh_session s, const Node& node, const SshConnectParams& p) {
  const std::string name = KnownHostsName(node.ssh);
  // libssh opens the file itself: a FIFO or device there must not block the connect.
  if (Status st = CheckRegularFile(p.known_hosts, kMaxKeyFileBytes); !st.ok()) {
    return Status::HostKey("cannot check host key of " + name + ": known_hosts " + st.message());
  }
  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
      return Status::Ok();
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      if (p.accept_new_host_keys) return AcceptNewKey(s, node, p);
      return Status::HostKey(
          "host key of " + name + " is not known: server offers " + ServerKeyDescription(s) +
          ", no entry in " + p.known_hosts +
          ". Verify that fingerprint out of band, then add the key (ssh-keyscan -p " +
          std::to_string(node.ssh.port) + " " + node.ssh.host + " >> " + p.known_hosts +
          ") or allow recording new keys (--accept-new-host-keys)");
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return Status::HostKey(
          "HOST KEY CHANGED for " + name + ": server offers " + ServerKeyDescription(s) + " but " +
          p.known_hosts +
          " holds a different key. Someone may be intercepting the connection; if the change "
          "is legitimate, remove the old entry (ssh-keygen -R '" +
          name + "' -f " + p.known_hosts + ") and add the verified new key");
    case SSH_KNOWN_HOSTS_ERROR:
      break;
  }
  return Status::HostKey("cannot check host key of " + name + " against " + p.known_hosts + ": " +
                         ssh_get_error(s));
}

int NeverPrompt(const char*, char*, size_t, int, int, void* userdata) {
  *static_cast<bool*>(userdata) = true;
  return -1;
}

std::string AcceptedMethods(ssh_session s) {
  int m = ssh_userauth_list(s, nullptr);
  std::string out;
  auto add = [&out](const char* name) { out += (out.empty() ? "" : ",") + std::string(name); };
  if (m & SSH_AUTH_METHOD_PUBLICKEY) add("publickey");
  if (m & SSH_AUTH_METHOD_PASSWORD) add("password");
  if (m & SSH_AUTH_METHOD_INTERACTIVE) add("keyboard-interactive");
  if (m & SSH_AUTH_METHOD_GSSAPI_MIC) add("gssapi-with-mic");
  return out.empty() ? "unknown" : out;
}

Status AuthWithIdentity(ssh_session s, const Node& node) {
  const std::string& file = node.ssh.identity_file;
  // Read here by the one reading rule (a FIFO or device never blocks the connect), then parsed.
  auto text = ReadRegularFile(file, kMaxKeyFileBytes);
  if (!text.ok()) return Status::Auth(Where(node) + ": identity file " + text.status().message());
  bool asked_passphrase = false;
  ssh_key raw = nullptr;
  if (ssh_pki_import_privkey_base64(text->c_str(), nullptr, NeverPrompt, &asked_passphrase, &raw) !=
      SSH_OK) {
    return Status::Auth(Where(node) + ": cannot use identity file " + file +
                        (asked_passphrase ? ": it is passphrase-protected; load it into "
                                            "ssh-agent and leave identity_file empty"
                                          : ": missing, unreadable or not a private key"));
  }
  KeyPtr key(raw);
  int rc = ssh_userauth_publickey(s, nullptr, key.get());
  if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
  return Status::Auth(Where(node) + ": tried publickey with identity file " + file + ": " +
                      (rc == SSH_AUTH_ERROR ? ssh_get_error(s) : "refused by server") +
                      "; server accepts: " + AcceptedMethods(s));
}

Status AuthWithAgent(ssh_session s, const Node& node) {
  const char* sock = std::getenv("SSH_AUTH_SOCK");
  if (sock == nullptr || *sock == '\0') {
    return Status::Auth(Where(node) +
                        ": no identity_file configured and no ssh-agent (SSH_AUTH_SOCK unset)");
  }
  int rc = ssh_userauth_agent(s, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
  return Status::Auth(Where(node) + ": tried publickey with every ssh-agent key: " +
                      (rc == SSH_AUTH_ERROR ? ssh_get_error(s) : "refused by server") +
                      "; server accepts: " + AcceptedMethods(s));
}

}  // namespace

std::string KnownHostsName(const SshTarget& target) {
  if (target.port == 22) return target.host;
  return "[" + target.host + "]:" + std::to_string(target.port);
}

void SetSessionTimeout(ssh_session session, Duration d) {
  long ms = std::max<long>(1, static_cast<long>(d.count()));
  long secs = ms / 1000;
  long usec = (ms % 1000) * 1000;
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &secs);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &usec);
}

Result<ssh_session> ConnectSsh(const Node& node, const SshConnectParams& params) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { ssh_init(); });
  auto close_fd = [&] {
    if (params.fd >= 0) close(params.fd);
  };
  if (params.known_hosts.empty()) {
    close_fd();
    return Status::Invalid(node.name +
                           ": no known_hosts file configured; host keys are always "
                           "checked (set ssh.known_hosts in the inventory)");
  }
  SessionPtr s(ssh_new());
  if (!s) {
    close_fd();
    return Status::Internal("ssh_new failed (out of memory?)");
  }
  if (Status st = SetOptions(s.get(), node, params); !st.ok()) {
    close_fd();  // ssh_connect never adopted it
    return st;
  }
  if (ssh_connect(s.get()) != SSH_OK) {
    return Status::Unreachable(Where(node) + ": " + ssh_get_error(s.get()));
  }
  SHARDCTL_RETURN_IF_ERROR(CheckHostKey(s.get(), node, params));
  if (params.fd < 0) SetKeepalive(s.get(), params.keepalive);
  SHARDCTL_RETURN_IF_ERROR(node.ssh.identity_file.empty() ? AuthWithAgent(s.get(), node)
                                                          : AuthWithIdentity(s.get(), node));
  return s.release();
}

}  // namespace shardctl
