// The native front of `npm start` on Linux (see front.mjs for the one in Node, used elsewhere): owns
// PORT and moves bytes, parsing nothing. Each connection's first bytes decide where it goes: the
// HTTP/2 connection preface to Node's HTTP/2 translator, anything else (HTTP/1.x) to workerd, both on
// Unix sockets; from then on bytes are copied both ways as they come. Node pays about 55 µs of CPU per
// request-response for such a copy, this about 30 µs, nearly all of it the kernel's socket work.
//
// Usage: front-pipe HOST PORT HTTP1_SOCKET HTTP2_SOCKET. Prints "listening" once bound; exits when
// its standard input closes (the Node process that started it is gone).
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BUFFER_SIZE 65536
static const char PREFACE[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define PREFACE_LENGTH (sizeof PREFACE - 1)

// Bytes read from `from` and not yet written to `to`. Reading from `from` stops while any are pending,
// so a slow reader slows its writer down instead of filling memory.
struct half {
  int from, to;
  char *buffer;
  size_t length, offset;
  int ended;  // `from` sent its FIN (or the connection is closing)
};

struct conn;
struct end {
  struct conn *conn;
  int fd;
  int watched;  // in the epoll set
};

struct conn {
  struct end client, upstream;
  struct half up, down;  // client → upstream, upstream → client
  char sniffed[PREFACE_LENGTH];
  size_t sniffedLength;
  int closed;
};

static int epollFd;
static const char *http1Path, *http2Path;

/**
 * Asks epoll for what `end` can do next: read while its data has somewhere to go, write while data
 * for it is pending. With neither it leaves the set, as epoll would otherwise keep reporting a hang-up
 * on it until the other side has taken what is pending.
 */
static void watch(struct end *end) {
  struct conn *c = end->conn;
  struct half *reading = end == &c->client ? &c->up : &c->down;  // data this fd gives
  struct half *writing = end == &c->client ? &c->down : &c->up;  // data this fd takes
  struct epoll_event ev = {.data.ptr = end};
  if (!reading->ended && reading->length == 0) ev.events |= EPOLLIN;
  if (writing->length > writing->offset) ev.events |= EPOLLOUT;
  if (ev.events == 0) {
    if (end->watched) epoll_ctl(epollFd, EPOLL_CTL_DEL, end->fd, NULL);
    end->watched = 0;
    return;
  }
  epoll_ctl(epollFd, end->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, end->fd, &ev);
  end->watched = 1;
}

static void closeConn(struct conn *c) {
  if (c->closed) return;
  c->closed = 1;
  close(c->client.fd);  // also removes it from the epoll set
  if (c->upstream.fd >= 0) close(c->upstream.fd);
  free(c->up.buffer);
  free(c->down.buffer);
  // Freed after this batch of events, which may still name it (see main).
}

static struct conn *graveyard[1024];
static int graveyardLength;

static void bury(struct conn *c) {
  closeConn(c);
  graveyard[graveyardLength++] = c;
}

/** Writes what is pending on `h`; 0 on success (maybe partial), -1 when the connection must close. */
static int flush(struct half *h) {
  while (h->offset < h->length) {
    ssize_t n = write(h->to, h->buffer + h->offset, h->length - h->offset);
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
    h->offset += (size_t)n;
  }
  h->length = h->offset = 0;
  if (h->ended) shutdown(h->to, SHUT_WR);
  return 0;
}

static int connectUnix(const char *path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, path, sizeof address.sun_path - 1);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

/** The first bytes of a connection: read exactly as many as it takes to tell HTTP/2 from the rest. */
static void sniff(struct conn *c) {
  ssize_t n = read(c->client.fd, c->sniffed + c->sniffedLength, PREFACE_LENGTH - c->sniffedLength);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return bury(c);  // closed before saying anything decidable
  c->sniffedLength += (size_t)n;
  int http2 = memcmp(c->sniffed, PREFACE, c->sniffedLength) == 0;
  if (http2 && c->sniffedLength < PREFACE_LENGTH) return;
  c->upstream.fd = connectUnix(http2 ? http2Path : http1Path);
  if (c->upstream.fd < 0) return bury(c);
  c->up.to = c->upstream.fd;
  c->down.from = c->upstream.fd;
  memcpy(c->up.buffer, c->sniffed, c->sniffedLength);
  c->up.length = c->sniffedLength;
  if (flush(&c->up) < 0) return bury(c);
  watch(&c->client);
  watch(&c->upstream);
}

static void onEvent(struct end *end, uint32_t events) {
  struct conn *c = end->conn;
  if (c->closed) return;
  if (c->upstream.fd < 0) return sniff(c);
  struct half *reading = end == &c->client ? &c->up : &c->down;
  struct half *writing = end == &c->client ? &c->down : &c->up;
  struct end *other = end == &c->client ? &c->upstream : &c->client;
  if (events & EPOLLERR) return bury(c);
  if (events & EPOLLOUT) {
    if (flush(writing) < 0) return bury(c);
    if (writing->length == 0) watch(other);  // it may read again
  }
  if (events & (EPOLLIN | EPOLLHUP) && !reading->ended && reading->length == 0) {
    ssize_t n = read(end->fd, reading->buffer, BUFFER_SIZE);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return bury(c);
    if (n == 0) {
      reading->ended = 1;
      if (c->up.ended && c->down.ended) return bury(c);
    }
    if (n >= 0) {
      reading->length = (size_t)n;
      if (flush(reading) < 0) return bury(c);
      if (reading->length > 0) watch(other);  // wait until `other` can take the rest
    }
  }
  watch(end);  // also after EPOLLOUT alone: a drained socket must leave EPOLLOUT, or it spins
}

static void accept_(int listenFd) {
  for (;;) {
    int fd = accept4(listenFd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = calloc(1, sizeof *c);
    c->up.buffer = malloc(BUFFER_SIZE);
    c->down.buffer = malloc(BUFFER_SIZE);
    c->client = (struct end){c, fd, 0};
    c->upstream = (struct end){c, -1, 0};
    c->up.from = c->down.to = fd;
    c->up.to = c->down.from = -1;
    watch(&c->client);
  }
}

static int listenOn(const char *host, const char *port) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *found;
  if (getaddrinfo(host, port, &hints, &found) != 0) return -1;
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 511) != 0) {
    fprintf(stderr, "%s\n", strerror(errno));
    freeaddrinfo(found);
    return -1;
  }
  freeaddrinfo(found);
  return fd;
}

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  http1Path = argv[3];
  http2Path = argv[4];
  signal(SIGPIPE, SIG_IGN);  // a peer gone mid-write is an EPIPE, handled as a close
  int listenFd = listenOn(argv[1], argv[2]);
  if (listenFd < 0) return 1;
  epollFd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epollFd, EPOLL_CTL_ADD, listenFd, &ev);
  static struct end parent = {NULL, 0, 1};
  ev.data.ptr = &parent;
  epoll_ctl(epollFd, EPOLL_CTL_ADD, 0, &ev);
  printf("listening\n");
  fflush(stdout);
  struct epoll_event events[sizeof graveyard / sizeof *graveyard / 2];
  for (;;) {
    int n = epoll_wait(epollFd, events, sizeof events / sizeof *events, -1);
    for (int i = 0; i < n; i++) {
      struct end *end = events[i].data.ptr;
      if (end == NULL) accept_(listenFd);
      else if (end == &parent) return 0;
      else onEvent(end, events[i].events);
    }
    for (int i = 0; i < graveyardLength; i++) free(graveyard[i]);
    graveyardLength = 0;
  }
}
