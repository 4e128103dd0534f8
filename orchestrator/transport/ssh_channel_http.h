// One HTTP request over a direct-tcpip channel of an established libssh session: the node's
// sshd connects to the port itself, so no process starts on the node.
#pragma once

#include <libssh/libssh.h>

#include "model/http_probe.h"
#include "transport/transport.h"

namespace shardctl {

/// Opens a direct-tcpip channel to request.host:request.port as seen from the node, sends the
/// request and reads the response (cpp-httplib does the HTTP/1.1 framing: Content-Length,
/// chunked, or read to EOF), waiting in poll(2) with the deadline and options.cancel (checked at
/// least every 100 ms) enforced on every read. A 2xx answer is kExited with exit_code 0 and the
/// body in out; any other status is kError ("HTTP 503 from 127.0.0.1:9500/", body in out); a
/// body over options.max_output_bytes is kError (never buffered past that); a refused port is
/// kError naming it; the deadline is kTimedOut. Nothing runs on the node, so nothing is left
/// running there whatever happens. *not_started and *session_broken as for ExecOnSession
/// (transport/ssh_channel_exec.h). session must be used by this thread only for the call.
ExecResult FetchOnSession(ssh_session session, const HttpRequest& request,
                          const ExecOptions& options, TimePoint deadline, bool* not_started,
                          bool* session_broken);

}  // namespace shardctl
