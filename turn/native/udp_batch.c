// Batched UDP I/O for the TURN relay: recvmmsg(2) and sendmmsg(2) under libuv's poll, exposed
// through Node-API. Node 20's dgram does one system call, one rinfo object and one JavaScript
// callback per datagram; at a relay's packet rates that per-datagram cost is most of the CPU.
// Here a readable socket is drained up to BATCH datagrams per system call, the batch is handed to
// JavaScript in one call (one Buffer holding every payload, plus a shared Int32Array describing
// them), and the sends JavaScript queued meanwhile go out with one sendmmsg per socket.
//
// Linux only (recvmmsg/sendmmsg). JavaScript falls back to node:dgram when this is not built.
//
// Shared memory with JavaScript, set once by init():
//   rx_meta  Int32Array, RX_STRIDE per received datagram: offset, length, port, family, address
//            (4 words; IPv4 in word 0, all in network byte order as read from memory)
//   tx_meta  Int32Array, TX_STRIDE per queued send: fd, offset, length, port, family, address (4)
//   tx_data  the bytes of queued sends, at their offsets
// JavaScript only touches these synchronously, between native calls, so no locking is needed.

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define BATCH 64
#define RX_SLOT_BYTES 65536
#define RX_STRIDE 8
#define TX_STRIDE 9
#define MAX_DRAIN_ROUNDS 8

typedef struct {
  int fd;
  int closing;
  // Owners of this struct: the poll handle (until libuv has closed it) and the JavaScript
  // handle (until it is collected). Whichever lets go last frees it.
  int owners;
  uv_poll_t poll;
  napi_env env;
  napi_ref on_batch;
  napi_async_context async_context;
} batch_socket;

static uint8_t *rx_arena;
static struct mmsghdr rx_msgs[BATCH];
static struct iovec rx_iov[BATCH];
static struct sockaddr_storage rx_addr[BATCH];

static int32_t *rx_meta;
static int32_t *tx_meta;
static uint8_t *tx_data;
static size_t tx_meta_len;
static size_t tx_data_len;
static napi_ref shared_refs[3];

#define CHECK(env, call)                                  \
  do {                                                    \
    if ((call) != napi_ok) {                              \
      napi_throw_error((env), "EINTERNAL", #call " failed"); \
      return NULL;                                        \
    }                                                     \
  } while (0)

static napi_value throw_errno(napi_env env, const char *syscall, int error) {
  napi_value message, code, value;
  char text[160];
  const char *name = error == EADDRINUSE ? "EADDRINUSE" : error == EADDRNOTAVAIL ? "EADDRNOTAVAIL" : error == EACCES ? "EACCES" : error == EINVAL ? "EINVAL" : "ESYSCALL";
  snprintf(text, sizeof text, "%s %s (%s)", syscall, name, strerror(error));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_create_error(env, code, message, &value);
  napi_set_named_property(env, value, "code", code);
  napi_throw(env, value);
  return NULL;
}

static int typed_array_data(napi_env env, napi_value value, void **data, size_t *bytes) {
  napi_typedarray_type type;
  size_t length, offset;
  napi_value buffer;
  if (napi_get_typedarray_info(env, value, &type, &length, data, &buffer, &offset) != napi_ok) return 0;
  *bytes = type == napi_uint8_array ? length : length * 4;
  return 1;
}

// init(rxMeta: Int32Array, txMeta: Int32Array, txData: Uint8Array): returns BATCH.
static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  void *data;
  size_t bytes;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_errno(env, "init", EINVAL);
  if (!typed_array_data(env, argv[0], &data, &bytes) || bytes < BATCH * RX_STRIDE * 4) return throw_errno(env, "init rxMeta", EINVAL);
  rx_meta = data;
  if (!typed_array_data(env, argv[1], &data, &bytes)) return throw_errno(env, "init txMeta", EINVAL);
  tx_meta = data;
  tx_meta_len = bytes / 4;
  if (!typed_array_data(env, argv[2], &data, &bytes)) return throw_errno(env, "init txData", EINVAL);
  tx_data = data;
  tx_data_len = bytes;
  for (int i = 0; i < 3; i++) {
    if (shared_refs[i] != NULL) napi_delete_reference(env, shared_refs[i]);
    CHECK(env, napi_create_reference(env, argv[i], 1, &shared_refs[i]));
  }
  if (rx_arena == NULL) {
    rx_arena = malloc((size_t)BATCH * RX_SLOT_BYTES);
    if (rx_arena == NULL) return throw_errno(env, "init", ENOMEM);
    for (int i = 0; i < BATCH; i++) {
      rx_iov[i].iov_base = rx_arena + (size_t)i * RX_SLOT_BYTES;
      rx_iov[i].iov_len = RX_SLOT_BYTES;
    }
  }
  CHECK(env, napi_create_int32(env, BATCH, &result));
  return result;
}

static void deliver(batch_socket *sock, int count) {
  napi_env env = sock->env;
  napi_handle_scope scope;
  napi_value callback, buffer, argv[2], global, ignored;
  size_t total = 0;
  uint8_t *out;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  for (int i = 0; i < count; i++) total += rx_msgs[i].msg_len;
  if (napi_create_buffer(env, total > 0 ? total : 1, (void **)&out, &buffer) != napi_ok) goto done;
  size_t offset = 0;
  for (int i = 0; i < count; i++) {
    unsigned int length = rx_msgs[i].msg_len;
    int32_t *meta = rx_meta + i * RX_STRIDE;
    memcpy(out + offset, rx_iov[i].iov_base, length);
    meta[0] = (int32_t)offset;
    meta[1] = (int32_t)length;
    if (rx_addr[i].ss_family == AF_INET6) {
      struct sockaddr_in6 *from = (struct sockaddr_in6 *)&rx_addr[i];
      meta[2] = ntohs(from->sin6_port);
      meta[3] = 6;
      memcpy(meta + 4, &from->sin6_addr, 16);
    } else {
      struct sockaddr_in *from = (struct sockaddr_in *)&rx_addr[i];
      meta[2] = ntohs(from->sin_port);
      meta[3] = 4;
      memcpy(meta + 4, &from->sin_addr, 4);
    }
    offset += length;
  }
  if (napi_get_reference_value(env, sock->on_batch, &callback) != napi_ok || callback == NULL) goto done;
  napi_get_global(env, &global);
  argv[0] = buffer;
  napi_create_int32(env, count, &argv[1]);
  // make_callback runs queued microtasks and ticks when it returns, as a dgram 'message' would.
  if (napi_make_callback(env, sock->async_context, global, callback, 2, argv, &ignored) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
done:
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  batch_socket *sock = handle->data;
  if (status < 0 || !(events & UV_READABLE)) return;
  for (int round = 0; round < MAX_DRAIN_ROUNDS && !sock->closing; round++) {
    for (int i = 0; i < BATCH; i++) {
      rx_msgs[i].msg_hdr.msg_name = &rx_addr[i];
      rx_msgs[i].msg_hdr.msg_namelen = sizeof rx_addr[i];
      rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
      rx_msgs[i].msg_hdr.msg_iovlen = 1;
      rx_msgs[i].msg_hdr.msg_control = NULL;
      rx_msgs[i].msg_hdr.msg_controllen = 0;
      rx_msgs[i].msg_hdr.msg_flags = 0;
    }
    int count = recvmmsg(sock->fd, rx_msgs, BATCH, MSG_DONTWAIT, NULL);
    if (count <= 0) return;  // EAGAIN: drained; other errors (ICMP reports) concern one datagram
    deliver(sock, count);
    if (count < BATCH) return;
  }
}

static void on_poll_closed(uv_handle_t *handle);

// Stops delivery and closes the descriptor; the struct is freed once libuv has closed the poll.
static void close_descriptor(batch_socket *sock) {
  sock->closing = 1;
  uv_poll_stop(&sock->poll);
  close(sock->fd);
  uv_close((uv_handle_t *)&sock->poll, on_poll_closed);
}

// The handle was collected without close(): a dropped socket must not keep its descriptor and
// port. The callback reference is released; the async context is left to process exit, because
// napi_async_destroy may run async hooks, which a finalizer must not.
static void release_owner(batch_socket *sock) {
  if (--sock->owners == 0) free(sock);
}

static void finalize_socket(napi_env env, void *data, void *hint) {
  (void)hint;
  batch_socket *sock = data;
  if (!sock->closing) {
    napi_delete_reference(env, sock->on_batch);
    close_descriptor(sock);
  }
  release_owner(sock);
}

static void on_poll_closed(uv_handle_t *handle) {
  release_owner(handle->data);
}

static int parse_address(int family, const char *text, int port, struct sockaddr_storage *out, socklen_t *length) {
  memset(out, 0, sizeof *out);
  if (family == 6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    *length = sizeof *a;
    return inet_pton(AF_INET6, text, &a->sin6_addr) == 1;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)out;
  a->sin_family = AF_INET;
  a->sin_port = htons((uint16_t)port);
  *length = sizeof *a;
  return inet_pton(AF_INET, text, &a->sin_addr) == 1;
}

// open(family, address, port, bufferBytes, onBatch(buffer, count)): [handle, fd, boundPort].
// The socket is bound but not yet polled; start() begins delivery.
static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], result, value;
  int32_t family, port, buffer_bytes;
  char address[64];
  size_t address_length;
  struct sockaddr_storage bind_address;
  socklen_t bind_length;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) return throw_errno(env, "open", EINVAL);
  CHECK(env, napi_get_value_int32(env, argv[0], &family));
  if (napi_get_value_string_utf8(env, argv[1], address, sizeof address, &address_length) != napi_ok) return throw_errno(env, "open", EINVAL);
  CHECK(env, napi_get_value_int32(env, argv[2], &port));
  CHECK(env, napi_get_value_int32(env, argv[3], &buffer_bytes));
  if ((family != 4 && family != 6) || port < 0 || port > 65535 || !parse_address(family, address, port, &bind_address, &bind_length)) return throw_errno(env, "open", EINVAL);

  int fd = socket(family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int one = 1;
  if (family == 6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (buffer_bytes > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  }
  if (bind(fd, (struct sockaddr *)&bind_address, bind_length) != 0) {
    int error = errno;
    close(fd);
    return throw_errno(env, "bind", error);
  }
  struct sockaddr_storage bound;
  socklen_t bound_length = sizeof bound;
  getsockname(fd, (struct sockaddr *)&bound, &bound_length);
  int bound_port = family == 6 ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port) : ntohs(((struct sockaddr_in *)&bound)->sin_port);

  batch_socket *sock = calloc(1, sizeof *sock);
  uv_loop_t *loop;
  if (sock == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init_socket(loop, &sock->poll, fd) != 0) {
    free(sock);
    close(fd);
    return throw_errno(env, "poll", ENOMEM);
  }
  sock->fd = fd;
  sock->owners = 2;
  sock->env = env;
  sock->poll.data = sock;
  // Weak: JavaScript keeps the callback alive from the object that owns the handle, so dropping
  // that object lets both be collected (and finalize_socket close the descriptor). A strong
  // reference here would keep the handle reachable through the callback's closure forever.
  CHECK(env, napi_create_reference(env, argv[4], 0, &sock->on_batch));
  napi_value resource_name;
  napi_create_string_utf8(env, "ParleyUdpBatch", NAPI_AUTO_LENGTH, &resource_name);
  CHECK(env, napi_async_init(env, NULL, resource_name, &sock->async_context));

  CHECK(env, napi_create_array_with_length(env, 3, &result));
  CHECK(env, napi_create_external(env, sock, finalize_socket, NULL, &value));
  napi_set_element(env, result, 0, value);
  napi_create_int32(env, fd, &value);
  napi_set_element(env, result, 1, value);
  napi_create_int32(env, bound_port, &value);
  napi_set_element(env, result, 2, value);
  return result;
}

static batch_socket *socket_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok) return NULL;
  return data;
}

static napi_value start(napi_env env, napi_callback_info info) {
  batch_socket *sock = socket_arg(env, info);
  if (sock == NULL || sock->closing) return throw_errno(env, "start", EINVAL);
  uv_poll_start(&sock->poll, UV_READABLE, on_readable);
  return NULL;
}

// close(handle): stops delivery and closes the descriptor; a queued send to it fails with EBADF
// (counted as dropped), which is what a closed dgram socket does too.
static napi_value close_socket(napi_env env, napi_callback_info info) {
  batch_socket *sock = socket_arg(env, info);
  if (sock == NULL) return throw_errno(env, "close", EINVAL);
  if (sock->closing) return NULL;
  napi_delete_reference(env, sock->on_batch);
  napi_async_destroy(env, sock->async_context);
  close_descriptor(sock);
  return NULL;
}

// flush(count): sends the first `count` queued entries with one sendmmsg per descriptor and
// batch. Entries of one descriptor are gathered from a window of LOOKAHEAD entries, so sends that
// alternate between sockets (a load client's pairs, a relay forwarding to several allocations)
// still go out in batches; the order per descriptor is kept, and datagrams of different sockets
// have no order to keep. Returns how many could not be sent; the fd word of each of those entries
// is overwritten with -errno so the caller can tell them (EAGAIN: the send buffer is full; others:
// the destination or the socket refused). UDP may drop, and the caller counts.
#define LOOKAHEAD 256
static napi_value flush(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  int32_t count;
  static struct mmsghdr tx_msgs[BATCH];
  static struct iovec tx_iov[BATCH];
  static struct sockaddr_storage tx_addr[BATCH];
  static int entry_of[BATCH];
  static uint8_t *taken;
  static size_t taken_capacity;
  int failed = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_int32(env, argv[0], &count));
  if (count < 0 || (size_t)count * TX_STRIDE > tx_meta_len) return throw_errno(env, "flush", EINVAL);
  if ((size_t)count > taken_capacity) {
    uint8_t *grown = realloc(taken, (size_t)count);
    if (grown == NULL) return throw_errno(env, "flush", ENOMEM);
    taken = grown;
    taken_capacity = (size_t)count;
  }
  memset(taken, 0, (size_t)count);
  for (int index = 0; index < count; index++) {
    if (taken[index]) continue;
    int fd = tx_meta[index * TX_STRIDE];
    int run = 0;
    int window_end = index + LOOKAHEAD < count ? index + LOOKAHEAD : count;
    for (int j = index; j < window_end && run < BATCH; j++) {
      if (taken[j] || tx_meta[j * TX_STRIDE] != fd) continue;
      taken[j] = 1;
      entry_of[run] = j;
      int32_t *meta = tx_meta + j * TX_STRIDE;
      size_t offset = (uint32_t)meta[1], length = (uint32_t)meta[2];
      if (offset + length > tx_data_len) length = 0;
      memset(&tx_addr[run], 0, sizeof tx_addr[run]);
      socklen_t name_length;
      if (meta[4] == 6) {
        struct sockaddr_in6 *to = (struct sockaddr_in6 *)&tx_addr[run];
        to->sin6_family = AF_INET6;
        to->sin6_port = htons((uint16_t)meta[3]);
        memcpy(&to->sin6_addr, meta + 5, 16);
        name_length = sizeof *to;
      } else {
        struct sockaddr_in *to = (struct sockaddr_in *)&tx_addr[run];
        to->sin_family = AF_INET;
        to->sin_port = htons((uint16_t)meta[3]);
        memcpy(&to->sin_addr, meta + 5, 4);
        name_length = sizeof *to;
      }
      tx_iov[run].iov_base = tx_data + offset;
      tx_iov[run].iov_len = length;
      memset(&tx_msgs[run].msg_hdr, 0, sizeof tx_msgs[run].msg_hdr);
      tx_msgs[run].msg_hdr.msg_name = &tx_addr[run];
      tx_msgs[run].msg_hdr.msg_namelen = name_length;
      tx_msgs[run].msg_hdr.msg_iov = &tx_iov[run];
      tx_msgs[run].msg_hdr.msg_iovlen = 1;
      run++;
    }
    int sent = 0;
    while (sent < run) {
      int n = sendmmsg(fd, tx_msgs + sent, run - sent, MSG_DONTWAIT);
      if (n > 0) {
        sent += n;
        continue;
      }
      int error = n < 0 ? errno : EIO;
      if (error == EINTR) continue;
      if (error == EAGAIN || error == EWOULDBLOCK) {
        // The send buffer is full: retrying the rest of the run at once would fail the same way.
        for (int k = sent; k < run; k++) tx_meta[entry_of[k] * TX_STRIDE] = -EAGAIN;
        failed += run - sent;
        break;
      }
      // A per-destination error (EHOSTUNREACH, EPERM from a firewall, ECONNREFUSED from an
      // earlier ICMP report) or a closed socket (EBADF): drop that datagram, send the rest.
      tx_meta[entry_of[sent] * TX_STRIDE] = -error;
      failed++;
      sent++;
    }
  }
  CHECK(env, napi_create_int32(env, failed, &result));
  return result;
}

static napi_value module_init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"init", NULL, init, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, open_socket, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_socket, NULL, NULL, NULL, napi_default, NULL},
      {"flush", NULL, flush, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
