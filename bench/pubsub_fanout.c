// PUBLISH fan-out driver for bench/run.sh (C, libc only; run.sh compiles it).
//
// usage: pubsub_fanout [-h HOST] [-p PORT] -n DELIVERIES [-c SUBSCRIBERS] [-d BYTES]
//                      [-w WINDOW] [--csv]
//
// Opens SUBSCRIBERS connections (default 1000) that SUBSCRIBE to one channel
// and then only count the bytes they receive, and one publisher that
// pipelines PUBLISH of BYTES-byte messages (default 16) until DELIVERIES
// messages (N, as redis-benchmark's -n) have reached the subscribers:
// N / SUBSCRIBERS publishes. At most WINDOW messages (default 200) per
// subscriber are undelivered at any time, so the servers' output buffers stay
// far below the pubsub class limits and the rate measured is the servers'
// sustained one, not a burst into memory.
//
// Every message frame has the same length, so subscribers count messages by
// bytes: no parsing, one epoll loop over every socket, so that the client
// costs far less than the server. Checks that each PUBLISH reports every
// subscriber and that each subscriber receives exactly the expected bytes.
//
// With --csv, prints one result row in redis-benchmark's --csv format (rps =
// messages delivered per second; latencies = PUBLISH round trips in ms), so
// run.sh reads it like a redis-benchmark row. Errors go to stderr, status 1.
#include "driver.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char kChannel[] = "bench:fanout";
static const double kTimeoutSeconds = 300;

static void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) fail("write: %s", strerror(errno));
    p += w;
    n -= (size_t)w;
  }
}

static void read_exact(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) fail("server closed a connection during set-up");
    p += r;
    n -= (size_t)r;
  }
}

int main(int argc, char** argv) {
  const char* host = "127.0.0.1";
  int port = 6379, csv = 0;
  long n = 0, nsubs = 1000, size = 16, window = 200;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--csv") == 0) {
      csv = 1;
    } else if (i + 1 < argc && strlen(a) == 2 && a[0] == '-' && strchr("hpncdw", a[1])) {
      const char* v = argv[++i];
      switch (a[1]) {
        case 'h': host = v; break;
        case 'p': port = atoi(v); break;
        case 'n': n = atol(v); break;
        case 'c': nsubs = atol(v); break;
        case 'd': size = atol(v); break;
        case 'w': window = atol(v); break;
      }
    } else {
      fail("unknown or incomplete option '%s'", a);
    }
  }
  if (n <= 0 || nsubs <= 0 || window <= 0 || size < 0) fail("need -n > 0, -c > 0, -w > 0");

  const long publishes = (n + nsubs - 1) / nsubs;
  const long deliveries = publishes * nsubs;
  const size_t chan_len = sizeof(kChannel) - 1;
  char* payload = malloc((size_t)size + 1);
  memset(payload, 'm', (size_t)size);

  // The exact frames: the confirmation, each message, the PUBLISH request and its reply.
  char confirmation[128], *p = confirmation;
  p += sprintf(p, "*3\r\n");
  p = put_bulk(p, "subscribe", 9);
  p = put_bulk(p, kChannel, chan_len);
  p += sprintf(p, ":1\r\n");
  const size_t confirmation_len = (size_t)(p - confirmation);
  char* frame = malloc((size_t)size + 128);
  p = frame + sprintf(frame, "*3\r\n");
  p = put_bulk(p, "message", 7);
  p = put_bulk(p, kChannel, chan_len);
  p = put_bulk(p, payload, (size_t)size);
  const size_t frame_len = (size_t)(p - frame);
  char* publish_cmd = malloc((size_t)size + 128);
  p = publish_cmd + sprintf(publish_cmd, "*3\r\n");
  p = put_bulk(p, "PUBLISH", 7);
  p = put_bulk(p, kChannel, chan_len);
  p = put_bulk(p, payload, (size_t)size);
  const size_t publish_len = (size_t)(p - publish_cmd);
  char reply[32];
  const size_t reply_len = (size_t)sprintf(reply, ":%ld\r\n", nsubs);

  // Subscribers: subscribe all, then read every confirmation.
  int* subs = calloc((size_t)nsubs, sizeof(int));
  long* received = calloc((size_t)nsubs, sizeof(long));
  char request[128];
  p = request + sprintf(request, "*2\r\n");
  p = put_bulk(p, "SUBSCRIBE", 9);
  p = put_bulk(p, kChannel, chan_len);
  for (long i = 0; i < nsubs; ++i) {
    subs[i] = connect_to(host, port);
    write_all(subs[i], request, (size_t)(p - request));
  }
  int ep = epoll_create1(0);
  for (long i = 0; i < nsubs; ++i) {
    char got[128];
    read_exact(subs[i], got, confirmation_len);
    if (memcmp(got, confirmation, confirmation_len) != 0) fail("unexpected SUBSCRIBE reply");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, subs[i], &ev);
  }
  const int pub = connect_to(host, port);
  struct epoll_event pev = {.events = EPOLLIN, .data.u64 = (uint64_t)-1};
  epoll_ctl(ep, EPOLL_CTL_ADD, pub, &pev);

  // Publisher state: a batch of pipelined PUBLISHes, sent piecewise.
  enum { kBatch = 32 };
  char* batch = malloc(publish_len * kBatch);
  for (int i = 0; i < kBatch; ++i)
    memcpy(batch + (size_t)i * publish_len, publish_cmd, publish_len);
  size_t out_pos = 0, out_len = 0;
  long sent = 0, acked = 0;
  char replies[4096];
  size_t replies_len = 0;
  double* sent_at = malloc(sizeof(double) * (size_t)publishes);
  double* rtts = malloc(sizeof(double) * (size_t)publishes);

  static char buf[1 << 20];
  const long expected_bytes = deliveries * (long)frame_len;
  const long window_bytes = window * nsubs * (long)frame_len;
  long total_bytes = 0;
  struct epoll_event events[256];

  const double start = now_s();
  const double deadline = start + kTimeoutSeconds;
  while (total_bytes < expected_bytes || acked < publishes) {
    long in_flight = sent * nsubs * (long)frame_len - total_bytes;
    if (out_pos == out_len && sent < publishes && in_flight < window_bytes) {
      long k = publishes - sent < kBatch ? publishes - sent : kBatch;
      double t = now_s();
      for (long j = 0; j < k; ++j)
        sent_at[sent + j] = t;
      sent += k;
      out_pos = 0;
      out_len = (size_t)k * publish_len;
    }
    if (out_pos < out_len) {
      ssize_t w = send(pub, batch + out_pos, out_len - out_pos, MSG_DONTWAIT);
      if (w < 0 && errno != EAGAIN) fail("send: %s", strerror(errno));
      if (w > 0) out_pos += (size_t)w;
    }
    int ready = epoll_wait(ep, events, 256, out_pos < out_len ? 0 : 1000);
    for (int e = 0; e < ready; ++e) {
      long i = (long)events[e].data.u64;
      if (events[e].data.u64 == (uint64_t)-1) {
        ssize_t r = recv(pub, replies + replies_len, sizeof(replies) - replies_len, MSG_DONTWAIT);
        if (r == 0) fail("the server closed the publisher's connection");
        if (r < 0) continue;
        replies_len += (size_t)r;
        size_t k = replies_len / reply_len;
        double t = now_s();
        for (size_t j = 0; j < k; ++j) {
          if (memcmp(replies + j * reply_len, reply, reply_len) != 0) {
            fail("PUBLISH replied %.*s, not %.*s", (int)reply_len, replies + j * reply_len,
                 (int)reply_len, reply);
          }
          rtts[acked] = t - sent_at[acked];
          ++acked;
        }
        memmove(replies, replies + k * reply_len, replies_len - k * reply_len);
        replies_len -= k * reply_len;
      } else {
        ssize_t r = recv(subs[i], buf, sizeof(buf), MSG_DONTWAIT);
        if (r == 0) fail("the server closed a subscriber (output buffer limit?)");
        if (r < 0) continue;
        received[i] += r;
        total_bytes += r;
      }
    }
    if (now_s() > deadline) {
      fail("timed out: %ld of %ld messages delivered", total_bytes / (long)frame_len, deliveries);
    }
  }
  const double elapsed = now_s() - start;

  for (long i = 0; i < nsubs; ++i) {
    if (received[i] != publishes * (long)frame_len) {
      fail("subscriber %ld received %ld bytes, not %ld", i, received[i],
           publishes * (long)frame_len);
    }
    close(subs[i]);
  }
  close(pub);

  const double rate = (double)deliveries / elapsed;
  const struct Latency l = summarize(rtts, publishes);
  char test[64];
  snprintf(test, sizeof test, "PUBLISH fan-out to %ld subscribers", nsubs);
  if (csv) {
    print_csv(test, rate, &l);
  } else {
    printf("%s: %ld messages in %.3fs = %.0f delivered/s (%ld PUBLISH, p50 round trip %.3f ms)\n",
           test, deliveries, elapsed, rate, publishes, l.p50);
  }
  return 0;
}
