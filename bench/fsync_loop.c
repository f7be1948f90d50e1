// fsync_loop RATE SECONDS FILE: appends 1 KiB and fdatasyncs it RATE times a second for SECONDS,
// over zero-filled space as Vireo's log does, then prints how many fsyncs it made. With a server
// that keeps no log beside it, it shows what the fsyncs alone cost a benchmark on this machine
// (bench/fsync_floor.sh).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double since(const struct timespec* start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 4 || atol(argv[1]) <= 0) {
    fprintf(stderr, "usage: fsync_loop RATE SECONDS FILE\n");
    return 2;
  }
  const long rate = atol(argv[1]);
  const double seconds = atof(argv[2]);
  const int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    perror(argv[3]);
    return 1;
  }
  static char zeros[1 << 20], record[1024];
  memset(record, 'x', sizeof record);
  const off_t wrap = 64 << 20;
  off_t offset = 0, zeroed = 0;
  long fsyncs = 0;
  struct timespec start, next;
  clock_gettime(CLOCK_MONOTONIC, &start);
  next = start;
  while (since(&start) < seconds) {
    if (offset + (off_t)sizeof record > zeroed) {
      if (pwrite(fd, zeros, sizeof zeros, zeroed) != (ssize_t)sizeof zeros) break;
      zeroed += sizeof zeros;
    }
    if (pwrite(fd, record, sizeof record, offset) != (ssize_t)sizeof record) break;
    if (fdatasync(fd) != 0) break;
    ++fsyncs;
    offset = offset + (off_t)sizeof record >= wrap ? 0 : offset + (off_t)sizeof record;
    next.tv_nsec += 1000000000L / rate;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      ++next.tv_sec;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
  }
  printf("%ld\n", fsyncs);
  return 0;
}
