// Helpers shared by the bench drivers (bench/*.c, compiled by run.sh): a
// fatal error, a monotonic clock and a blocking TCP connect with NODELAY.
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
