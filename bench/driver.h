// Helpers shared by the bench drivers (bench/*.c, compiled by run.sh): a
// fatal error, a monotonic clock, a blocking TCP connect with NODELAY, RESP
// bulk encoding, and the latency summary and CSV row run.sh reads.
#pragma once
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

// Prints "<program>: error: <message>" and exits with status 1.
static void fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", program_invocation_short_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

// Seconds on the monotonic clock.
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// A connected TCP socket to host:port (IPv4), with Nagle off.
static int connect_to(const char* host, int port) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) fail("bad IPv4 address %s", host);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket: %s", strerror(errno));
  if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) != 0) {
    fail("connect %s:%d: %s", host, port, strerror(errno));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// "$len\r\ndata\r\n" appended at p; returns the end.
static char* put_bulk(char* p, const char* data, size_t len) {
  p += sprintf(p, "$%zu\r\n", len);
  memcpy(p, data, len);
  p += len;
  memcpy(p, "\r\n", 2);
  return p + 2;
}

// Round-trip latencies in milliseconds, as redis-benchmark reports them.
struct Latency {
  double avg, min, p50, p95, p99, max;
};

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double percentile(const double* sorted, long n, double p) {
  long i = (long)(p / 100 * (double)n);
  return sorted[i < n ? i : n - 1];
}

// Summarizes `n` (> 0) round trips measured in seconds; sorts them in place.
static struct Latency summarize(double* rtts, long n) {
  double sum = 0;
  for (long i = 0; i < n; ++i) {
    rtts[i] *= 1000;
    sum += rtts[i];
  }
  qsort(rtts, (size_t)n, sizeof(double), cmp_double);
  struct Latency l = {sum / (double)n,         rtts[0],
                      percentile(rtts, n, 50), percentile(rtts, n, 95),
                      percentile(rtts, n, 99), rtts[n - 1]};
  return l;
}

// redis-benchmark's --csv header and one row: what run.sh parses.
static void print_csv(const char* test, double rate, const struct Latency* l) {
  printf(
      "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
      "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n");
  printf("\"%s\",\"%.2f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\"\n", test, rate,
         l->avg, l->min, l->p50, l->p95, l->p99, l->max);
}
