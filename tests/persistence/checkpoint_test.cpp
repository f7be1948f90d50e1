#include "persistence/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "persistence/crc32c.h"
#include "tests/core/command_fixture.h"
#include "tests/core/keyspace_image.h"

using namespace vireo;
using namespace vireo::test;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "vireo-checkpoint-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// `args` as one command: a single RPUSH, HSET... of many elements.
void run_many(CommandFixture& f, std::vector<std::string> args) {
  std::string reply = f.run(args);
  BOOST_REQUIRE_MESSAGE(reply[0] != '-', args[0] << " failed: " << reply);
}

// At least one key of every type in every encoding, binary and empty keys and
// values, keys with deadlines, and a key in each of the 16 databases.
void populate_everything(CommandFixture& f) {
  f.run({"SET", "int", "12345"});
  f.run({"SET", "int-min", "-9223372036854775808"});
  f.run({"SET", "int-max", "9223372036854775807"});
  f.run({"SET", "not-canonical", "007"});
  f.run({"SET", "embstr", "hello world"});
  f.run({"SET", "raw", std::string(100, 'r')});
  f.run({"SET", "out-of-line", std::string(70000, 'o')});
  f.run({"SET", "bigger-than-the-buffer", std::string(3 << 20, 'b')});
  f.run({"SET", "empty", ""});
  f.run({"SET", "", "empty key"});
  f.run({"SET", std::string("bin\0\r\nkey", 9), std::string("\0\r\n\xff", 4)});
  f.run({"SET", "volatile", "v", "PX", "100000"});
  f.run({"SET", "volatile-int", "-7", "PX", "200000"});

  f.run({"RPUSH", "list-small", "a", "1", "", std::string("\0\n", 2)});
  std::vector<std::string> args = {"RPUSH", "list-big"};
  for (int i = 0; i < 3000; ++i)
    args.push_back("item-" + std::to_string(i));
  run_many(f, args);
  f.run({"RPUSH", "list-huge-item", std::string(20000, 'x'), "y"});
  f.run({"EXPIRE", "list-small", "5000"});

  f.run({"HSET", "hash-small", "f1", "v1", "f2", "2", "", "empty field"});
  args = {"HSET", "hash-wide"};
  for (int i = 0; i < 600; ++i) {
    args.push_back("field-" + std::to_string(i));
    args.push_back(std::to_string(i * 7));
  }
  run_many(f, args);
  f.run({"HSET", "hash-long-value", "f", std::string(100, 'v')});
  f.run({"PEXPIREAT", "hash-small", std::to_string(f.now() + 123456)});

  f.run({"SADD", "set-ints", "1", "2", "3", "-5", "9223372036854775807"});
  f.run({"SADD", "set-small", "a", "b", "c", "1"});
  args = {"SADD", "set-big"};
  for (int i = 0; i < 200; ++i)
    args.push_back("member-" + std::to_string(i));
  run_many(f, args);
  args = {"SADD", "set-many-ints"};
  for (int i = 0; i < 600; ++i)
    args.push_back(std::to_string(i * 3));
  run_many(f, args);

  f.run({"ZADD", "zset-small", "1", "a", "2.5", "b", "inf", "c", "-inf", "d", "-0", "e"});
  args = {"ZADD", "zset-big"};
  for (int i = 0; i < 200; ++i) {
    args.push_back(i % 3 == 0 ? "1e-310" : std::to_string(i * 0.1));
    args.push_back("member-" + std::to_string(i));
  }
  run_many(f, args);
  f.run({"ZADD", "zset-big", "+inf", "top", "-inf", "bottom", "-0", "negative-zero"});
  f.run({"EXPIRE", "zset-big", "86400"});

  for (int db = 1; db < 16; ++db) {
    f.run({"SELECT", std::to_string(db)});
    f.run({"SET", "key-in-" + std::to_string(db), std::to_string(db)});
  }
  f.run({"SELECT", "0"});
}

// Writes `f`'s keyspace as `dir`/name and returns the path.
std::string checkpoint_of(CommandFixture& f, const TempDir& dir, uint64_t lsn = 42,
                          const std::string& name = "checkpoint") {
  CheckpointWriteResult written =
      write_checkpoint_file(dir.path.string(), name, f.keyspace(), lsn, f.now());
  BOOST_REQUIRE_MESSAGE(written.ok(), written.error);
  return dir.file(name);
}

// Loads `path` into a fresh fixture at `now` under its default limits.
CheckpointLoadResult load_into(CommandFixture& f, const std::string& path, int64_t now) {
  f.set_time(now);
  f.keyspace().set_now(now);
  return load_checkpoint(path, f.keyspace(), {f.limits().containers});
}

std::string checkpoint_bytes(CommandFixture& f) {
  TempDir dir;
  return read_file(checkpoint_of(f, dir));
}

// Sets a new checksum on bytes that were changed on purpose, so that the
// change reaches the parser.
void reseal(std::string& bytes) {
  auto* data = reinterpret_cast<unsigned char*>(bytes.data());
  uint32_t header_crc = crc32c(0, data, 32);
  std::memcpy(data + 32, &header_crc, 4);  // the test host is little-endian
  uint32_t crc = crc32c(0, data, bytes.size() - 4);
  std::memcpy(data + bytes.size() - 4, &crc, 4);
}

// A keyspace with a little of everything, small enough to damage byte by byte.
std::string small_checkpoint() {
  CommandFixture f;
  f.run({"SET", "s", "value"});
  f.run({"SET", "i", "-42", "PX", "5000"});
  f.run({"RPUSH", "l", "a", "b"});
  f.run({"HSET", "h", "f", "v"});
  f.run({"SADD", "s1", "1", "2"});
  f.run({"SADD", "s2", "x"});
  f.run({"ZADD", "z", "1.5", "m", "-inf", "n"});
  f.run({"SELECT", "3"});
  f.run({"SET", "k", "v"});
  return checkpoint_bytes(f);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(every_type_and_encoding_round_trips) {
  CommandFixture source;
  populate_everything(source);
  // A key already past its deadline but not yet reclaimed is written, and
  // dropped by the loader.
  source.run({"SET", "stale", "v", "PX", "10"});
  source.advance_time(1000);
  source.keyspace().set_now(source.now());
  const KeyspaceImage expected = image_of(source, true);
  std::set<std::string> encodings;
  for (const auto& [where, key] : expected)
    encodings.insert(key.type + ":" + key.encoding);
  const std::set<std::string> every_encoding = {"string:int",     "string:embstr", "string:raw",
                                                "list:quicklist", "hash:listpack", "hash:hashtable",
                                                "set:intset",     "set:listpack",  "set:hashtable",
                                                "zset:listpack",  "zset:skiplist"};
  BOOST_TEST((encodings == every_encoding));

  TempDir dir;
  const std::string path = checkpoint_of(source, dir, 987654321);
  CommandFixture loaded;
  CheckpointLoadResult result = load_into(loaded, path, source.now());
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(result.lsn == 987654321u);
  BOOST_TEST(result.created_ms == source.now());
  BOOST_TEST(result.keys_loaded == expected.size());
  BOOST_TEST(result.keys_expired == 1u);
  const KeyspaceImage actual = image_of(loaded, true);
  BOOST_TEST_INFO(difference(expected, actual, "written", "loaded"));
  BOOST_TEST((expected == actual));
}

BOOST_AUTO_TEST_CASE(keys_past_their_deadline_at_load_are_dropped_unless_kept) {
  CommandFixture source;
  source.run({"SET", "short", "v", "PX", "1000"});
  source.run({"RPUSH", "short-list", "a", "b"});
  source.run({"PEXPIRE", "short-list", "1000"});
  source.run({"SET", "long", "v", "PX", "100000"});
  source.run({"SET", "forever", "v"});
  TempDir dir;
  const std::string path = checkpoint_of(source, dir);

  CommandFixture later;
  CheckpointLoadResult result = load_into(later, path, source.now() + 1000);
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(result.keys_loaded == 2u);
  BOOST_TEST(result.keys_expired == 2u);
  BOOST_TEST(later.run({"EXISTS", "short", "short-list", "long", "forever"}) == integer(2));
  BOOST_TEST(later.run({"PEXPIRETIME", "long"}) == integer(source.now() + 100000));

  CommandFixture replica;
  replica.keyspace().set_now(source.now() + 1000);
  result = load_checkpoint(path, replica.keyspace(), {replica.limits().containers, true});
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(result.keys_loaded == 4u);
  BOOST_TEST(replica.keyspace().db(0).size() == 4u);
}

// As Redis rebuilds values from an RDB file: the encoding follows the content
// and the loading server's limits, not the history of the key.
BOOST_AUTO_TEST_CASE(encodings_follow_content_and_the_loading_limits) {
  CommandFixture source;
  source.run({"SET", "appended", "12"});
  source.run({"APPEND", "appended", "3"});  // "raw" until reloaded, then "int"
  source.run({"SET", "appended-text", "ab"});
  source.run({"APPEND", "appended-text", "c"});
  std::vector<std::string> args = {"HSET", "shrunk"};
  for (int i = 0; i < 600; ++i) {
    args.push_back("f" + std::to_string(i));
    args.push_back("v");
  }
  run_many(source, args);
  for (int i = 1; i < 600; ++i)
    source.run({"HDEL", "shrunk", "f" + std::to_string(i)});
  source.run({"RPUSH", "list", "a", "b", "c", "d", "e"});
  source.run({"SADD", "set", "1", "2", "3"});
  source.run({"ZADD", "zset", "1", "a", "2", "b"});
  BOOST_TEST(source.run({"OBJECT", "ENCODING", "appended"}) == bulk("raw"));
  BOOST_TEST(source.run({"OBJECT", "ENCODING", "shrunk"}) == bulk("hashtable"));
  TempDir dir;
  const std::string path = checkpoint_of(source, dir);

  CommandFixture same;
  BOOST_REQUIRE(load_into(same, path, source.now()).ok());
  BOOST_TEST(same.run({"OBJECT", "ENCODING", "appended"}) == bulk("int"));
  BOOST_TEST(same.run({"OBJECT", "ENCODING", "appended-text"}) == bulk("embstr"));
  BOOST_TEST(same.run({"OBJECT", "ENCODING", "shrunk"}) == bulk("listpack"));
  BOOST_TEST(same.run({"OBJECT", "ENCODING", "set"}) == bulk("intset"));
  BOOST_TEST(same.run({"OBJECT", "ENCODING", "zset"}) == bulk("listpack"));

  CommandFixture tiny;
  ContainerLimits& c = tiny.limits().containers;
  c.list_max_listpack_size = 2;
  c.hash_max_listpack_entries = c.set_max_intset_entries = c.set_max_listpack_entries =
      c.zset_max_listpack_entries = 1;
  BOOST_REQUIRE(load_into(tiny, path, source.now()).ok());
  BOOST_TEST(tiny.run({"OBJECT", "ENCODING", "set"}) == bulk("hashtable"));
  BOOST_TEST(tiny.run({"OBJECT", "ENCODING", "zset"}) == bulk("skiplist"));
  BOOST_TEST(tiny.run({"OBJECT", "ENCODING", "shrunk"}) == bulk("listpack"));  // one field
  BOOST_TEST(tiny.run({"LRANGE", "list", "0", "-1"}) ==
             array({bulk("a"), bulk("b"), bulk("c"), bulk("d"), bulk("e")}));
}

BOOST_AUTO_TEST_CASE(header_is_read_without_the_body) {
  CommandFixture source;
  source.run({"SET", "k", "v"});
  TempDir dir;
  const std::string path = checkpoint_of(source, dir, uint64_t{1} << 40);
  CheckpointInfo info = read_checkpoint_header(path);
  BOOST_REQUIRE_MESSAGE(info.ok(), info.error);
  BOOST_TEST(info.lsn == 1ull << 40);
  BOOST_TEST(info.created_ms == source.now());
  BOOST_TEST(info.databases == 16u);
  BOOST_TEST(info.file_bytes == fs::file_size(path));

  const std::string bytes = read_file(path);
  write_file(dir.file("truncated"), bytes.substr(0, bytes.size() - 3));
  BOOST_TEST(!read_checkpoint_header(dir.file("truncated")).ok());
  write_file(dir.file("other"), "REDIS0010" + std::string(100, '\0'));
  BOOST_TEST(read_checkpoint_header(dir.file("other")).error.find("bad magic") !=
             std::string::npos);
  BOOST_TEST(!read_checkpoint_header(dir.file("missing")).ok());
}

BOOST_AUTO_TEST_CASE(an_empty_keyspace_round_trips) {
  CommandFixture source;
  const std::string bytes = checkpoint_bytes(source);
  BOOST_TEST(bytes.size() == kCheckpointHeaderBytes + 5);
  Keyspace loaded(16);
  CheckpointLoadResult result = load_checkpoint_bytes(bytes, "empty", loaded, {});
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(loaded.total_keys() == 0u);
}

BOOST_AUTO_TEST_CASE(every_single_byte_corruption_is_detected) {
  const std::string good = small_checkpoint();
  {
    Keyspace ks(16);
    BOOST_REQUIRE(load_checkpoint_bytes(good, "good", ks, {}).ok());
  }
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      Keyspace ks(16);
      CheckpointLoadResult result = load_checkpoint_bytes(bad, "bad", ks, {});
      BOOST_TEST_INFO("byte " << i << " xor " << int(mask));
      BOOST_TEST(!result.ok());
      BOOST_TEST(ks.total_keys() == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_is_detected) {
  const std::string good = small_checkpoint();
  for (size_t n = 0; n < good.size(); ++n) {
    Keyspace ks(16);
    CheckpointLoadResult result = load_checkpoint_bytes(good.substr(0, n), "cut", ks, {});
    BOOST_TEST_INFO("first " << n << " bytes");
    BOOST_TEST(!result.ok());
    BOOST_TEST(ks.total_keys() == 0u);
  }
}

// Damage with a matching checksum (a broken writer, a hostile file) reaches
// the parser, which must report it or load something sane, never read out of
// bounds (the sanitizer build is the judge) or leave half a keyspace.
BOOST_AUTO_TEST_CASE(resealed_damage_never_crashes_the_parser) {
  const std::string good = small_checkpoint();
  size_t failures = 0;
  for (size_t i = kCheckpointHeaderBytes; i + 4 < good.size(); ++i) {
    for (unsigned char mask : {0x01, 0x02, 0x7F, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      reseal(bad);
      Keyspace ks(16);
      CheckpointLoadResult result = load_checkpoint_bytes(bad, "resealed", ks, {});
      if (!result.ok()) {
        ++failures;
        BOOST_TEST_INFO("byte " << i << " xor " << int(mask) << ": " << result.error);
        BOOST_TEST(ks.total_keys() == 0u);
        BOOST_TEST(result.error.rfind("resealed: at byte ", 0) == 0u);
      }
    }
  }
  BOOST_TEST(failures > 0u);
  // Several bytes at once, anywhere in the body.
  std::mt19937 rng(5);
  for (int round = 0; round < 3000; ++round) {
    std::string bad = good;
    for (int n = 1 + static_cast<int>(rng() % 4); n > 0; --n) {
      const size_t at = kCheckpointHeaderBytes + rng() % (good.size() - kCheckpointHeaderBytes - 4);
      bad[at] = static_cast<char>(rng());
    }
    reseal(bad);
    Keyspace ks(16);
    if (!load_checkpoint_bytes(bad, "resealed", ks, {}).ok()) BOOST_TEST(ks.total_keys() == 0u);
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_the_offset_and_the_fault) {
  CommandFixture source;
  source.run({"SET", "a", "1"});
  source.run({"SET", "b", "2"});
  std::string bytes = checkpoint_bytes(source);
  // Both entries are [kind][key length 1][key][zigzag varint]: make the
  // later key a copy of the earlier one.
  const size_t a = bytes.find('a', kCheckpointHeaderBytes);
  const size_t b = bytes.find('b', kCheckpointHeaderBytes);
  BOOST_REQUIRE(a != std::string::npos && b != std::string::npos);
  bytes[std::max(a, b)] = bytes[std::min(a, b)];
  reseal(bytes);
  Keyspace ks(16);
  CheckpointLoadResult result = load_checkpoint_bytes(bytes, "dup.ckp", ks, {});
  BOOST_TEST(result.error ==
             "dup.ckp: at byte " + std::to_string(std::max(a, b) - 2) + ": duplicate key");
  BOOST_TEST(ks.total_keys() == 0u);

  // A fault after the duplicate (here an unknown kind) is not the first one:
  // the loader adds entries a few behind parsing, yet reports in file order.
  {
    CommandFixture three;
    three.run({"SET", "a", "1"});
    three.run({"SET", "b", "2"});
    three.run({"SET", "c", "3"});
    std::string dup = checkpoint_bytes(three);
    const size_t ka = dup.find('a', kCheckpointHeaderBytes);
    const size_t kb = dup.find('b', kCheckpointHeaderBytes);
    const size_t kc = dup.find('c', kCheckpointHeaderBytes);
    BOOST_REQUIRE(ka != std::string::npos && kb != std::string::npos && kc != std::string::npos);
    const size_t last = std::max({ka, kb, kc});
    const size_t second = ka + kb + kc - last - std::min({ka, kb, kc});
    dup[second] = dup[std::min({ka, kb, kc})];
    dup[last - 2] = 0x7f;
    reseal(dup);
    Keyspace dup_ks(16);
    BOOST_TEST(load_checkpoint_bytes(dup, "dup.ckp", dup_ks, {}).error ==
               "dup.ckp: at byte " + std::to_string(second - 2) + ": duplicate key");
    BOOST_TEST(dup_ks.total_keys() == 0u);
    dup[second] = 'z';  // no duplicate left: the unknown kind is the fault
    reseal(dup);
    BOOST_TEST(load_checkpoint_bytes(dup, "dup.ckp", dup_ks, {}).error ==
               "dup.ckp: at byte " + std::to_string(last - 2) + ": unknown entry kind 0x7f");
  }

  bytes[bytes.size() - 1] ^= 1;
  result = load_checkpoint_bytes(bytes, "crc.ckp", ks, {});
  BOOST_TEST(
      result.error.rfind(
          "crc.ckp: at byte " + std::to_string(bytes.size() - 4) + ": checksum mismatch", 0) == 0u);

  Keyspace busy(16);
  busy.db(0).put_string("x", "y", kNoExpiry);
  result = load_checkpoint_bytes(checkpoint_bytes(source), "busy.ckp", busy, {});
  BOOST_TEST(result.error.find("not empty") != std::string::npos);
  BOOST_TEST(busy.total_keys() == 1u);

  Keyspace few(2);
  source.run({"SELECT", "5"});
  source.run({"SET", "k", "v"});
  result = load_checkpoint_bytes(checkpoint_bytes(source), "few.ckp", few, {});
  BOOST_TEST(result.error.find("database 5 does not exist here") != std::string::npos);
  BOOST_TEST(few.total_keys() == 0u);
}

BOOST_AUTO_TEST_CASE(buffer_size_does_not_change_the_bytes) {
  CommandFixture source;
  populate_everything(source);
  const std::string expected = checkpoint_bytes(source);
  TempDir dir;
  const std::string path = dir.file("small-buffer");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  BOOST_REQUIRE(fd >= 0);
  CheckpointWriteResult result =
      CheckpointWriter(fd, 4096).write(source.keyspace(), 42, source.now());
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(result.bytes == expected.size());
  BOOST_TEST((read_file(path) == expected));
}

BOOST_AUTO_TEST_CASE(write_failures_are_reported_and_leave_no_file) {
  CommandFixture source;
  source.run({"SET", "k", std::string(1 << 21, 'v')});
  int fd = ::open("/dev/full", O_WRONLY);
  BOOST_REQUIRE(fd >= 0);
  CheckpointWriteResult result = CheckpointWriter(fd).write(source.keyspace(), 0, 0);
  ::close(fd);
  BOOST_TEST(result.error.find("write failed") != std::string::npos);

  TempDir dir;
  result = write_checkpoint_file(dir.file("missing"), "ckp", source.keyspace(), 0, 0);
  BOOST_TEST(result.error.find("cannot create") != std::string::npos);
  fs::create_directory(dir.file("occupied"));  // rename cannot replace a directory
  result = write_checkpoint_file(dir.path.string(), "occupied", source.keyspace(), 0, 0);
  BOOST_TEST(result.error.find("cannot rename") != std::string::npos);
  BOOST_TEST(!fs::exists(dir.file("occupied.tmp")));
}

// Not a check: the numbers for the docs, skipped unless VIREO_TIMING is set
// (Boost runs disabled() cases whenever their suite is named), e.g. in a
// Release build: VIREO_TIMING=1 vireo-tests --run_test=checkpoint/timing_of_a_million_small_strings
BOOST_AUTO_TEST_CASE(timing_of_a_million_small_strings,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                       return boost::unit_test::assertion_result(std::getenv("VIREO_TIMING") !=
                                                                 nullptr);
                     })) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  Keyspace source(16);
  // As Redis's DEBUG POPULATE 1000000: "key:N" holding "value:N".
  for (int i = 0; i < 1000000; ++i) {
    const std::string n = std::to_string(i);
    source.db(0).put_string("key:" + n, "value:" + n, kNoExpiry);
  }
  TempDir dir;
  auto start = Clock::now();
  CheckpointWriteResult written = write_checkpoint_file(dir.path.string(), "bench", source, 1, 0);
  const double write_ms = ms(Clock::now() - start);
  BOOST_REQUIRE_MESSAGE(written.ok(), written.error);
  Keyspace loaded(16);
  start = Clock::now();
  CheckpointLoadResult result = load_checkpoint(dir.file("bench"), loaded, {});
  const double load_ms = ms(Clock::now() - start);
  BOOST_REQUIRE_MESSAGE(result.ok(), result.error);
  BOOST_TEST(loaded.total_keys() == 1000000u);
  BOOST_TEST_MESSAGE("1M small strings: " << written.bytes << " bytes, write+fsync " << write_ms
                                          << " ms, load " << load_ms << " ms");
}

BOOST_AUTO_TEST_SUITE_END()
