/*
 * samsa_sendfile: one N-API function over Linux sendfile(2), for the zero-copy fetch path
 * (src/broker/fetch/sendfile.ts).
 *
 *   sendFile(socketFd, fileFd, position, length) -> bytes sent, 0 <= n <= length
 *
 * Sends up to `length` bytes of `fileFd` starting at `position` to the nonblocking socket `socketFd`,
 * looping over partial sends, and returns when all are sent or the socket would block (EAGAIN): the
 * count may then be short, 0 included; the caller waits for the socket to drain and calls again with
 * the rest. It never blocks and never keeps an fd: the caller guarantees both fds are open for the
 * duration of the call (it runs on the JS thread, which is the only one that closes them).
 *
 * Errors throw an Error whose `code` is the errno name (EPIPE, ECONNRESET, EBADF, ...). The file
 * ending before the region does (a truncated segment) throws code "EOF" when nothing could be sent;
 * bytes sent before it are returned first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/types.h>
#include <node_api.h>

static const char *errno_code(int err) {
  switch (err) {
  case EPIPE: return "EPIPE";
  case ECONNRESET: return "ECONNRESET";
  case EBADF: return "EBADF";
  case EINVAL: return "EINVAL";
  case EIO: return "EIO";
  case ENOTCONN: return "ENOTCONN";
  case ENOTSOCK: return "ENOTSOCK";
  case ENOMEM: return "ENOMEM";
  case EOVERFLOW: return "EOVERFLOW";
  case ESPIPE: return "ESPIPE";
  case ENOSYS: return "ENOSYS";
  case EFAULT: return "EFAULT";
  default: return "EUNKNOWN";
  }
}

static napi_value throw_code(napi_env env, const char *code, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "sendfile: %s (%s)", what, code);
  napi_throw_error(env, code, msg);
  return NULL;
}

static napi_value send_file(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4)
    return throw_code(env, "EINVAL", "expected (socketFd, fileFd, position, length)");
  int32_t out_fd, in_fd;
  int64_t position, length;
  if (napi_get_value_int32(env, argv[0], &out_fd) != napi_ok || napi_get_value_int32(env, argv[1], &in_fd) != napi_ok ||
      napi_get_value_int64(env, argv[2], &position) != napi_ok ||
      napi_get_value_int64(env, argv[3], &length) != napi_ok)
    return throw_code(env, "EINVAL", "arguments must be numbers");
  if (out_fd < 0 || in_fd < 0 || position < 0 || length < 0)
    return throw_code(env, "EINVAL", "negative fd, position or length");

  off_t offset = (off_t)position;
  int64_t sent = 0;
  while (sent < length) {
    int64_t want = length - sent;
    /* Linux sends at most 0x7ffff000 bytes per call. */
    if (want > 0x7ffff000) want = 0x7ffff000;
    ssize_t n = sendfile(out_fd, in_fd, &offset, (size_t)want);
    if (n > 0) {
      sent += n;
      continue;
    }
    if (n == 0) {
      if (sent > 0) break; /* report what was sent; the next call throws EOF */
      return throw_code(env, "EOF", "file region ends before its length");
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (sent > 0) break; /* report progress first; the next call meets the error again */
    return throw_code(env, errno_code(errno), "send failed");
  }
  napi_value result;
  napi_create_int64(env, sent, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "sendFile", NAPI_AUTO_LENGTH, send_file, NULL, &fn);
  napi_set_named_property(env, exports, "sendFile", fn);
  return exports;
}
