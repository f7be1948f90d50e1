// MULTI/EXEC driver for bench/run.sh (C, libc + POSIX only; run.sh compiles it).
//
// usage: multi_exec [-h HOST] [-p PORT] -n TRANSACTIONS [-c CLIENTS] [-r KEYSPACE]
//                   [-d BYTES] [--csv]
//
// Opens CLIENTS connections (default 50). Each one repeatedly sends one
// transaction, MULTI, 10 x SET key:<12-digit random in [0, KEYSPACE)> <BYTES
// x 'x'>, EXEC, as a single write, and sends the next one only once the
// whole reply has arrived: one transaction in flight per connection. The
// run ends after TRANSACTIONS (N, as redis-benchmark's -n) transactions in
// total. Defaults: -r 100000 and -d 3, as redis-benchmark's SET.
//
// Every reply is checked byte for byte, as it arrives, against the only
// correct one: +OK, 10 x +QUEUED, then *10 and 10 x +OK. Anything else
// (an error reply, a different encoding, a closed connection) stops the run
// with a message on stderr and status 1.
//
// With --csv, prints one result row in redis-benchmark's --csv format (rps =
// transactions per second; latencies = transaction round trips in ms, from
// the write of MULTI to the last byte of EXEC's reply), so run.sh reads it
// like a redis-benchmark row.
#include "driver.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kSets = 10, kDigits = 12 };
static const double kTimeoutSeconds = 300;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_random(void) { // xorshift64*
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Du;
}

// Printable form of bytes received, for error messages: CR/LF and others escaped.
// Two static buffers in turn, so that one message can show two strings.
static const char* printable(const char* p, size_t n) {
  static char bufs[2][512];
  static int turn;
  char* out = bufs[turn ^= 1];
  size_t o = 0;
  for (size_t i = 0; i < n && o + 5 < sizeof(bufs[0]); ++i) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\r') o += (size_t)sprintf(out + o, "\\r");
    else if (c == '\n') o += (size_t)sprintf(out + o, "\\n");
    else if (c < 32 || c > 126) o += (size_t)sprintf(out + o, "\\x%02x", c);
    else out[o++] = (char)c;
  }
  out[o] = '\0';
  return out;
}

struct conn {
  int fd;
  char* out;        // this connection's copy of the transaction
  size_t out_pos;   // bytes of it sent (== tx_len once it is all sent)
  size_t in_pos;    // bytes of the expected reply matched so far
  int busy;         // a transaction is in flight
  int want_out;     // registered for EPOLLOUT
  double sent_at;
  char got[256];    // the reply bytes matched so far, for error messages
};

static int ep = -1;               // the epoll instance
static size_t tx_len;             // bytes of one transaction
static size_t digit_at[kSets];    // where each SET's key digits are in it
static long keyspace = 100000;

// Sends what is left of connection i's transaction; waits for EPOLLOUT if the socket is full.
static void flush(struct conn* c, long i) {
  while (c->out_pos < tx_len) {
    ssize_t w = send(c->fd, c->out + c->out_pos, tx_len - c->out_pos, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (w < 0 && errno == EAGAIN) break;
    if (w < 0) fail("send on connection %ld: %s", i, strerror(errno));
    c->out_pos += (size_t)w;
  }
  int want = c->out_pos < tx_len;
  if (want != c->want_out) {
    struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.u64 = (uint64_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) fail("epoll_ctl: %s", strerror(errno));
    c->want_out = want;
  }
}

// Starts a transaction on connection i: fresh random keys, then send.
static void begin(struct conn* c, long i, double t) {
  for (int s = 0; s < kSets; ++s) {
    uint64_t k = next_random() % (uint64_t)keyspace; // %012 digits, as redis-benchmark's -r
    for (int d = kDigits - 1; d >= 0; --d, k /= 10) {
      c->out[digit_at[s] + (size_t)d] = (char)('0' + k % 10);
    }
  }
  c->out_pos = 0;
  c->in_pos = 0;
  c->busy = 1;
  c->sent_at = t;
  flush(c, i);
}

int main(int argc, char** argv) {
  const char* host = "127.0.0.1";
  int port = 6379, csv = 0;
  long n = 0, nconns = 50, size = 3;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--csv") == 0) {
      csv = 1;
    } else if (i + 1 < argc && strlen(a) == 2 && a[0] == '-' && strchr("hpncrd", a[1])) {
      const char* v = argv[++i];
      switch (a[1]) {
        case 'h': host = v; break;
        case 'p': port = atoi(v); break;
        case 'n': n = atol(v); break;
        case 'c': nconns = atol(v); break;
        case 'r': keyspace = atol(v); break;
        case 'd': size = atol(v); break;
      }
    } else {
      fail("unknown or incomplete option '%s'", a);
    }
  }
  if (n <= 0 || nconns <= 0 || size < 0 || keyspace <= 0 || keyspace > 1000000000000L) {
    fail("need -n > 0, -c > 0, -d >= 0 and 0 < -r <= 10^12");
  }
  if (nconns > n) nconns = n;

  // The transaction template, and where each SET's 12 key digits go.
  char* value = malloc((size_t)size + 1);
  memset(value, 'x', (size_t)size);
  const size_t tx_cap = 64 + kSets * ((size_t)size + 96);
  char* tx = malloc(tx_cap);
  char* p = tx;
  p += sprintf(p, "*1\r\n");
  p = put_bulk(p, "MULTI", 5);
  for (int s = 0; s < kSets; ++s) {
    p += sprintf(p, "*3\r\n");
    p = put_bulk(p, "SET", 3);
    p = put_bulk(p, "key:000000000000", 4 + kDigits);
    digit_at[s] = (size_t)(p - tx) - 2 - kDigits;
    p = put_bulk(p, value, (size_t)size);
  }
  p += sprintf(p, "*1\r\n");
  p = put_bulk(p, "EXEC", 4);
  tx_len = (size_t)(p - tx);

  // The one correct reply.
  char expected[256];
  p = expected + sprintf(expected, "+OK\r\n");
  for (int s = 0; s < kSets; ++s) p += sprintf(p, "+QUEUED\r\n");
  p += sprintf(p, "*%d\r\n", kSets);
  for (int s = 0; s < kSets; ++s) p += sprintf(p, "+OK\r\n");
  const size_t expected_len = (size_t)(p - expected);

  struct conn* conns = calloc((size_t)nconns, sizeof(struct conn));
  ep = epoll_create1(0);
  if (ep < 0) fail("epoll_create1: %s", strerror(errno));
  for (long i = 0; i < nconns; ++i) {
    conns[i].fd = connect_to(host, port);
    conns[i].out = malloc(tx_len);
    memcpy(conns[i].out, tx, tx_len);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) != 0) fail("epoll_ctl: %s", strerror(errno));
  }

  double* rtts = malloc(sizeof(double) * (size_t)n);
  long started = 0, done = 0;
  static char buf[1 << 16];
  struct epoll_event events[256];


  const double start = now_s();
  const double deadline = start + kTimeoutSeconds;
  for (long i = 0; i < nconns; ++i) {
    begin(&conns[i], i, now_s());
    ++started;
  }
  while (done < n) {
    int ready = epoll_wait(ep, events, 256, 1000);
    if (ready < 0 && errno != EINTR) fail("epoll_wait: %s", strerror(errno));
    for (int e = 0; e < ready; ++e) {
      long i = (long)events[e].data.u64;
      struct conn* c = &conns[i];
      if (events[e].events & EPOLLOUT) flush(c, i);
      if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
      ssize_t r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
      if (r < 0 && errno == EAGAIN) continue;
      if (r < 0) fail("recv on connection %ld: %s", i, strerror(errno));
      if (r == 0) {
        fail("the server closed connection %ld after %zu reply bytes: \"%s\"", i, c->in_pos,
             printable(c->got, c->in_pos));
      }
      // Compare what fits in the expected reply first, so that a wrong reply is shown as such.
      size_t room = expected_len - c->in_pos, k = (size_t)r < room ? (size_t)r : room;
      memcpy(c->got + c->in_pos, buf, k);
      if (!c->busy || memcmp(buf, expected + c->in_pos, k) != 0) {
        fail("connection %ld: unexpected transaction reply \"%s\"; expected \"%s\"", i,
             printable(c->got, c->in_pos + k), printable(expected, expected_len));
      }
      if ((size_t)r > room) {
        fail("connection %ld: bytes after the transaction's whole reply: \"%s\"", i,
             printable(buf + room, (size_t)r - room));
      }
      c->in_pos += (size_t)r;
      if (c->in_pos < expected_len) continue;
      if (c->out_pos < tx_len) fail("connection %ld: full reply before the request was sent", i);
      double t = now_s();
      rtts[done++] = t - c->sent_at;
      c->busy = 0;
      if (started < n) {
        begin(c, i, t);
        ++started;
      }
    }
    if (now_s() > deadline) fail("timed out: %ld of %ld transactions done", done, n);
  }
  const double elapsed = now_s() - start;
  for (long i = 0; i < nconns; ++i) close(conns[i].fd);

  const double rate = (double)n / elapsed;
  const struct Latency l = summarize(rtts, n);
  char test[64];
  snprintf(test, sizeof test, "MULTI/EXEC of %d SETs, %ld clients", kSets, nconns);
  if (csv) {
    print_csv(test, rate, &l);
  } else {
    printf("%s: %ld transactions in %.3fs = %.0f transactions/s (p50 round trip %.3f ms)\n", test,
           n, elapsed, rate, l.p50);
  }
  return 0;
}
