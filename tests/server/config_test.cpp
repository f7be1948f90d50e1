#include "server/config.h"
#include "tests/temp_dir.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using vireo::Config;
using vireo::ConfigError;
using Pairs = std::vector<std::pair<std::string, std::string>>;

namespace {

using vireo::test::TempDir;

std::string get1(const Config& c, const std::string& name) {
  auto r = c.get(name);
  if (r.size() != 1) throw std::runtime_error("expected one value for " + name);
  return r[0].second;
}

std::optional<std::string> set1(Config& c, const std::string& name, const std::string& value,
                                bool local = false) {
  Pairs p{{name, value}};
  return c.set(p, local);
}

std::optional<ConfigError> load_args(Config& c, std::vector<std::string> args,
                                     const std::string& input = "") {
  std::istringstream in(input);
  return c.load_args(args, in);
}

// The reason a one-directive text fails with, or "" when it loads.
std::string load_reason(const std::string& text) {
  Config c;
  auto err = c.load_string(text, "t.conf");
  return err ? err->reason : "";
}

std::string set_error(const std::string& name, const std::string& value) {
  Config c;
  auto err = set1(c, name, value);
  return err ? *err : "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults) {
  Config c;
  const vireo::Settings& s = c.settings();
  BOOST_TEST(s.port == 6380);
  BOOST_TEST(get1(c, "bind") == "127.0.0.1 -::1");
  BOOST_TEST(s.databases == 16);
  BOOST_TEST(s.hz == 10);
  BOOST_TEST(s.tcp_keepalive == 300);
  BOOST_TEST(s.maxclients == 10000u);
  BOOST_TEST(s.proto_max_bulk_len == 536870912);
  BOOST_TEST(s.client_query_buffer_limit == 1073741824);
  BOOST_TEST(s.save.empty());
  BOOST_TEST(s.dir == fs::current_path().string());
  BOOST_TEST(get1(c, "dir") == fs::current_path().string());
  BOOST_TEST(get1(c, "proto-max-bulk-len") == "536870912");
  BOOST_TEST(get1(c, "protected-mode") == "yes");
  BOOST_TEST(get1(c, "appendonly") == "no");
  BOOST_TEST(get1(c, "loglevel") == "notice");
  BOOST_TEST(get1(c, "maxmemory-policy") == "noeviction");
  BOOST_TEST(get1(c, "appendfsync") == "everysec");
  BOOST_TEST(get1(c, "save") == "");
  BOOST_TEST(get1(c, "unixsocketperm") == "0");
  BOOST_TEST(get1(c, "client-output-buffer-limit") ==
             "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  BOOST_TEST(c.file().empty());
}

BOOST_AUTO_TEST_CASE(file_syntax_comments_quotes) {
  TempDir d;
  std::string path = d.write("a.conf",
                             "# a comment\n"
                             "\n"
                             "   port 7001   \r\n"
                             "\t# indented comment\n"
                             "requirepass \"a b\\\"c\\x41\\n\"\n"
                             "pidfile 'it\\'s here'\n"
                             "unixsocket /tmp/x\"y z\"\n"
                             "PROTECTED-MODE No\n"
                             "loglevel WARNING\n");
  Config c;
  auto err = c.load_file(path);
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  BOOST_TEST(c.settings().port == 7001);
  BOOST_TEST(c.settings().requirepass == "a b\"cA\n");
  BOOST_TEST(c.settings().pidfile == "it's here");
  BOOST_TEST(c.settings().unixsocket == "/tmp/xy z");
  BOOST_TEST(c.settings().protected_mode == false);
  BOOST_TEST(get1(c, "loglevel") == "warning");
  BOOST_TEST(c.file() == path);
}

BOOST_AUTO_TEST_CASE(file_errors_carry_line_numbers) {
  TempDir d;
  std::string path = d.write("bad.conf", "# first\nport 7001\n\nhz abc\nport 7002\n");
  Config c;
  auto err = c.load_file(path);
  BOOST_REQUIRE(err);
  BOOST_TEST(err->source == path);
  BOOST_TEST(err->line == 4);
  BOOST_TEST(err->text == "hz abc");
  BOOST_TEST(err->reason == "argument couldn't be parsed into an integer");
  std::string block = err->format();
  BOOST_TEST(block.find("*** FATAL CONFIG FILE ERROR (Vireo ") == 1u);
  BOOST_TEST(block.find("at line 4\n>>> 'hz abc'\nargument couldn't be parsed into an integer\n") !=
             std::string::npos);
  BOOST_TEST(c.settings().port == 7001);  // stopped at the error

  BOOST_TEST(load_reason("port 1\nbogus yes\n") == "Bad directive or wrong number of arguments");
  BOOST_TEST(load_reason("requirepass \"abc\n") == "Unbalanced quotes in configuration line");
  BOOST_TEST(load_reason("requirepass \"abc\"def\n") == "Unbalanced quotes in configuration line");
  BOOST_TEST(load_reason("port 1 2\n") == "wrong number of arguments");
  BOOST_TEST(load_reason("pidfile\n") == "wrong number of arguments");
  BOOST_TEST(load_reason("protected-mode maybe") == "argument must be 'yes' or 'no'");
  BOOST_TEST(load_reason("loglevel loud") ==
             "argument(s) must be one of the following: debug, verbose, notice, warning");
  BOOST_TEST(load_reason("appendfsync sometimes") ==
             "argument(s) must be one of the following: everysec, always, no");
  BOOST_TEST(load_reason("dbfilename a/b") == "dbfilename can't be a path, just a filename");
  BOOST_TEST(load_reason("appenddirname a/b") == "appenddirname can't be a path, just a dirname");
  BOOST_TEST(load_reason("appendfilename \"\"") == "appendfilename can't be empty");
  BOOST_TEST(load_reason("dir /nonexistent/vireo") == "No such file or directory");
  BOOST_TEST(load_reason("daemonize yes").find("daemonize yes is not supported") == 0u);
  BOOST_TEST(load_reason("daemonize no") == "");
  BOOST_TEST(load_reason("logfile /nonexistent/vireo.log") ==
             "Can't open the log file: No such file or directory");
  // Directives Redis 7.0 dropped but still accepts.
  BOOST_TEST(load_reason("list-max-ziplist-entries 5") == "");

  Config missing;
  auto open_err = missing.load_file(d.path / "nope.conf");
  BOOST_REQUIRE(open_err);
  BOOST_TEST(open_err->line == 0);
  BOOST_TEST(open_err->reason.find("Can't open config file") == 0u);
  BOOST_TEST(open_err->reason.find("No such file or directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(include_files) {
  TempDir d;
  d.write("inc.conf", "hz 20\ntimeout 7\n");
  std::string main =
      d.write("main.conf", "port 7001\ninclude " + (d.path / "inc.conf").string() +
                               "\ntimeout 8\ninclude " + (d.path / "none-*.conf").string() + "\n");
  Config c;
  auto err = c.load_file(main);
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  BOOST_TEST(c.settings().hz == 20);
  BOOST_TEST(c.settings().timeout == 8);  // later lines win

  d.write("bad-inc.conf", "\nmaxmemory 1xb\n");
  std::string main2 = d.write("main2.conf", "include " + (d.path / "bad-inc.conf").string() + "\n");
  Config c2;
  err = c2.load_file(main2);
  BOOST_REQUIRE(err);
  BOOST_TEST(err->source == (d.path / "bad-inc.conf").string());
  BOOST_TEST(err->line == 2);
  BOOST_TEST(err->reason == "argument must be a memory value");

  std::string main3 =
      d.write("main3.conf", "port 1\ninclude " + (d.path / "missing.conf").string());
  Config c3;
  err = c3.load_file(main3);
  BOOST_REQUIRE(err);
  BOOST_TEST(err->line == 2);
  BOOST_TEST(err->reason.find("Can't open config file") == 0u);

  std::string loop = d.write("loop.conf", "include " + (d.path / "loop.conf").string() + "\n");
  Config c4;
  err = c4.load_file(loop);
  BOOST_REQUIRE(err);
  BOOST_TEST(err->reason == "include nesting is too deep");
}

BOOST_AUTO_TEST_CASE(argv_merging) {
  TempDir d;
  std::string path = d.write("a.conf", "port 7001\nhz 20\nsave 60 1\n");
  Config c;
  auto err = load_args(c, {path, "--port", "7002", "--bind", "127.0.0.1", "::1", "--save",
                           "--slowlog-log-slower-than", "-1", "--maxmemory 5mb", "--hz", "--5"});
  // `--hz --5` takes "--5" as the value, which is no integer.
  BOOST_REQUIRE(err);
  BOOST_TEST(err->source == "command line");
  BOOST_TEST(err->line == 6);
  BOOST_TEST(err->text == "hz \"--5\"");
  BOOST_TEST(err->format().find("Reading the command line, at option 6\n>>> 'hz \"--5\"'\n") !=
             std::string::npos);

  Config c2;
  err = load_args(
      c2, {path, "--port", "7002", "--bind", "127.0.0.1", "::1", "--save",
           "--slowlog-log-slower-than", "-1", "--maxmemory 5mb", "--requirepass", "two words"});
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  const vireo::Settings& s = c2.settings();
  BOOST_TEST(s.port == 7002);  // the command line wins over the file
  BOOST_TEST(s.hz == 20);
  BOOST_TEST(get1(c2, "bind") == "127.0.0.1 ::1");
  BOOST_TEST(s.save.empty());  // `--save` alone means save ""
  BOOST_TEST(s.slowlog_log_slower_than == -1);
  BOOST_TEST(s.maxmemory == 5u * 1024 * 1024);
  BOOST_TEST(s.requirepass == "two words");
  BOOST_TEST(c2.file() == path);

  Config c3;  // no file; --save as the last word; save points over several words
  err = load_args(c3, {"--save", "60", "1", "300", "10", "--port", "7003", "--save"});
  BOOST_REQUIRE(!err);
  BOOST_TEST(c3.settings().save.empty());
  BOOST_TEST(c3.file().empty());

  Config c4;
  err = load_args(c4, {"--save", "60", "1", "300", "10"});
  BOOST_REQUIRE(!err);
  BOOST_TEST(get1(c4, "save") == "60 1 300 10");

  Config c5;
  err = load_args(c5, {"--port", "7004", "--nosuch", "1"});
  BOOST_REQUIRE(err);
  BOOST_TEST(err->line == 2);
  BOOST_TEST(err->reason == "Bad directive or wrong number of arguments");

  Config c6;  // "-": directives from standard input, before the options
  err = load_args(c6, {"-", "--hz", "30"}, "hz 40\ntimeout 9\n");
  BOOST_REQUIRE(!err);
  BOOST_TEST(c6.settings().hz == 30);
  BOOST_TEST(c6.settings().timeout == 9);

  Config c7;
  err = load_args(c7, {(d.path / "missing.conf").string(), "--port", "1"});
  BOOST_REQUIRE(err);
  BOOST_TEST(err->reason.find("Can't open config file") == 0u);
}

BOOST_AUTO_TEST_CASE(save_lines_accumulate_in_a_file) {
  Config c;
  BOOST_REQUIRE(!c.load_string("save 900 1\nsave 300 10\n", "t"));
  BOOST_TEST(get1(c, "save") == "900 1 300 10");
  BOOST_REQUIRE(!c.load_string("save \"\"\nsave 30 2\n", "t"));
  BOOST_TEST(get1(c, "save") == "30 2");
  BOOST_TEST(!set1(c, "save", "100 5 200 6"));  // CONFIG SET replaces
  BOOST_TEST(get1(c, "save") == "100 5 200 6");
  BOOST_TEST(!set1(c, "save", ""));
  BOOST_TEST(get1(c, "save") == "");
  BOOST_TEST(load_reason("save 900") == "Invalid save parameters");
  BOOST_TEST(load_reason("save 0 1") == "Invalid save parameters");
  BOOST_TEST(load_reason("save abc 1") == "Invalid save parameters");
  BOOST_TEST(
      set_error("save", "  100   5  ") ==
      "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters");
}

BOOST_AUTO_TEST_CASE(memory_units) {
  Config c;
  std::map<std::string, uint64_t> cases = {{"0", 0},
                                           {"5b", 5},
                                           {"100", 100},
                                           {"100k", 100000},
                                           {"100kb", 102400},
                                           {"1K", 1000},
                                           {"1m", 1000000},
                                           {"1mb", 1048576},
                                           {"1g", 1000000000},
                                           {"1gb", 1073741824},
                                           {"2GB", 2147483648},
                                           {"", 0},
                                           {"18446744073709551615", 18446744073709551615ull}};
  for (const auto& [text, bytes] : cases) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(!set1(c, "maxmemory", text));
      BOOST_TEST(c.settings().maxmemory == bytes);
      BOOST_TEST(get1(c, "maxmemory") == std::to_string(bytes));
    }
  }
  for (std::string bad :
       {"1xb", "-1", "1.5gb", " 5", "0x10", "18446744073709551616", "20000000000gb", "5 mb"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(set_error("maxmemory", bad) ==
                 "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument "
                 "must be a memory value");
    }
  }
  BOOST_TEST(load_reason("proto-max-bulk-len 10") ==
             "argument must be between 1048576 and 9223372036854775807 inclusive");
  BOOST_TEST(load_reason("client-query-buffer-limit 1mb") == "");
}

BOOST_AUTO_TEST_CASE(integer_bounds_and_strictness) {
  BOOST_TEST(load_reason("port 70000") == "argument must be between 0 and 65535 inclusive");
  BOOST_TEST(load_reason("port -1") == "argument must be between 0 and 65535 inclusive");
  BOOST_TEST(load_reason("databases 0") == "argument must be between 1 and 2147483647 inclusive");
  BOOST_TEST(load_reason("maxclients 0") == "argument must be between 1 and 4294967295 inclusive");
  BOOST_TEST(load_reason("slowlog-log-slower-than -2") ==
             "argument must be between -1 and 9223372036854775807 inclusive");
  BOOST_TEST(load_reason("active-expire-effort 11") ==
             "argument must be between 1 and 10 inclusive");
  BOOST_TEST(load_reason("hz 9999999999") == "argument must be between 0 and 2147483647 inclusive");
  for (std::string bad : {"+5", "05", " 5", "-0", "5k", "", "99999999999999999999"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(set_error("timeout", bad) ==
                 "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument "
                 "couldn't be parsed into an integer");
    }
  }
  Config c;  // hz is clamped into 1..500, not refused
  BOOST_TEST(!set1(c, "hz", "0"));
  BOOST_TEST(c.settings().hz == 1);
  BOOST_TEST(!set1(c, "hz", "100000"));
  BOOST_TEST(c.settings().hz == 500);
  BOOST_REQUIRE(!c.load_string("hz 5000", "t"));
  BOOST_TEST(get1(c, "hz") == "500");
  BOOST_TEST(!set1(c, "list-max-listpack-size", "-5"));
  BOOST_TEST(c.settings().list_max_listpack_size == -5);
  BOOST_TEST(!set1(c, "maxclients", "4294967295"));
  BOOST_TEST(c.settings().maxclients == 4294967295u);
  // unixsocketperm is octal both ways.
  BOOST_REQUIRE(!c.load_string("unixsocketperm 0770", "t"));
  BOOST_TEST(c.settings().unixsocketperm == 0770);
  BOOST_TEST(get1(c, "unixsocketperm") == "770");
  BOOST_TEST(load_reason("unixsocketperm 800") == "argument couldn't be parsed as an octal number");
  BOOST_TEST(load_reason("unixsocketperm 1000") == "argument must be between 0 and 777 inclusive");
}

BOOST_AUTO_TEST_CASE(get_patterns) {
  Config c;
  std::vector<std::string> pats = {"BIND", "Port", "hz*", "nosuch", "port", "*max*-len*"};
  auto r = c.get(pats);
  Pairs expected = {{"BIND", "127.0.0.1 -::1"},
                    {"Port", "6380"},
                    {"hz", "10"},
                    {"proto-max-bulk-len", "536870912"},
                    {"slowlog-max-len", "128"}};
  BOOST_TEST(r == expected);

  BOOST_TEST(c.get("nosuch*").empty());
  BOOST_TEST(c.get("h\\z").empty());  // not a glob: looked up literally
  // Aliases answer under their own names, and a pattern matches them too.
  BOOST_TEST(c.get("hash-max-ziplist-entries") == (Pairs{{"hash-max-ziplist-entries", "512"}}));
  BOOST_TEST(c.get("hash-max-*-entries") ==
             (Pairs{{"hash-max-listpack-entries", "512"}, {"hash-max-ziplist-entries", "512"}}));
  BOOST_TEST(c.get("LAZYFREE-lazy-user-?el") == (Pairs{{"lazyfree-lazy-user-del", "no"}}));
  BOOST_TEST(c.get("*").size() == 69u);  // 62 settings and 7 aliases
  auto all = c.get("*");
  bool has_dir = false;
  for (const auto& [k, v] : all)
    has_dir = has_dir || k == "dir";
  BOOST_TEST(has_dir);
}

BOOST_AUTO_TEST_CASE(set_error_texts) {
  Config c;
  auto fail = [&](Pairs p) {
    auto e = c.set(p);
    return e ? *e : "";
  };
  BOOST_TEST(fail({{"nosuch", "1"}}) ==
             "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
  BOOST_TEST(fail({{"hz", "5"}, {"nosuch", "1"}}) ==
             "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
  BOOST_TEST(fail({{"hz", "abc"}, {"nosuch", "1"}}) ==
             "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
  BOOST_TEST(fail({{"daemonize", "no"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
             "immutable config");
  BOOST_TEST(fail({{"Databases", "3"}, {"nosuch", "1"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'Databases') - can't set "
             "immutable config");
  BOOST_TEST(fail({{"hz", "5"}, {"HZ", "6"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter");
  BOOST_TEST(fail({{"hash-max-listpack-entries", "5"}, {"hash-max-ziplist-entries", "6"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - "
             "duplicate parameter");
  BOOST_TEST(fail({{"HZ", "abc"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be "
             "parsed into an integer");
  BOOST_TEST(fail({{"loglevel", "loud"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must "
             "be one of the following: debug, verbose, notice, warning");
  BOOST_TEST(fail({{"protected-mode", "maybe"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
             "must be 'yes' or 'no'");
  BOOST_TEST(fail({{"notify-keyspace-events", "Z"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
             "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  BOOST_TEST(fail({{"client-output-buffer-limit", "foo"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') "
             "- Wrong number of arguments in buffer limit configuration.");
  // Protected settings follow enable-protected-configs (default no).
  BOOST_TEST(fail({{"dir", "/tmp"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected "
             "config");
  BOOST_TEST(fail({{"dbfilename", "x.rdb"}}) ==
             "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set "
             "protected config");
  BOOST_TEST(c.settings().hz == 10);  // none of the above changed anything

  Config local;
  BOOST_REQUIRE(!local.load_string("enable-protected-configs local", "t"));
  BOOST_TEST(set1(local, "dbfilename", "x.rdb", false).has_value());
  BOOST_TEST(!set1(local, "dbfilename", "x.rdb", true));
  BOOST_TEST(local.settings().dbfilename == "x.rdb");

  TempDir d;
  Config yes;
  BOOST_REQUIRE(!yes.load_string("enable-protected-configs yes", "t"));
  BOOST_TEST(!set1(yes, "dir", d.path.string()));
  BOOST_TEST(yes.settings().dir == fs::canonical(d.path).string());
  BOOST_TEST(*set1(yes, "dir", (d.path / "nope").string()) ==
             "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or "
             "directory");
}

BOOST_AUTO_TEST_CASE(multi_set_is_atomic) {
  Config c;
  Pairs p = {{"hz", "50"}, {"maxmemory", "1gb"}, {"timeout", "abc"}};
  auto err = c.set(p);
  BOOST_REQUIRE(err);
  BOOST_TEST(*err ==
             "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't "
             "be parsed into an integer");
  BOOST_TEST(c.settings().hz == 10);
  BOOST_TEST(c.settings().maxmemory == 0u);

  Pairs ok = {{"hz", "50"},
              {"maxmemory", "1gb"},
              {"bind", "0.0.0.0 ::"},
              {"client-output-buffer-limit", "replica 1mb 2mb 3 pubsub 4mb 5mb 6"},
              {"notify-keyspace-events", "EKn"}};
  BOOST_TEST(!c.set(ok));
  BOOST_TEST(c.settings().hz == 50);
  BOOST_TEST(c.settings().maxmemory == 1073741824u);
  BOOST_TEST(get1(c, "bind") == "0.0.0.0 ::");
  BOOST_TEST(get1(c, "client-output-buffer-limit") ==
             "normal 0 0 0 slave 1048576 2097152 3 pubsub 4194304 5242880 6");
  BOOST_TEST(get1(c, "notify-keyspace-events") == "nKE");
  BOOST_TEST(c.settings().notify_keyspace_events ==
             (vireo::notify::kNew | vireo::notify::kKeyspace | vireo::notify::kKeyevent));

  // A bad class later in the same value refuses the whole value.
  BOOST_TEST(set1(c, "client-output-buffer-limit", "normal 1 1 1 master 1 1 1").has_value());
  BOOST_TEST(c.settings().client_output_buffer_limit[vireo::kClientNormal].hard_bytes == 0u);
  BOOST_TEST(set1(c, "client-output-buffer-limit", "normal 1 1 -1").value() ==
             "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') "
             "- Error in hard, soft or soft_seconds setting in buffer limit configuration.");
}

BOOST_AUTO_TEST_CASE(notify_keyspace_events_format) {
  Config c;
  std::map<std::string, std::string> cases = {{"An", "A"}, {"gnm", "gnm"},  {"EKn", "nKE"},
                                              {"A$", "A"}, {"KEA", "AKE"},  {"xe", "xe"},
                                              {"", ""},    {"td$g", "g$td"}};
  for (const auto& [in, out] : cases) {
    BOOST_TEST_CONTEXT(in) {
      BOOST_TEST(!set1(c, "notify-keyspace-events", in));
      BOOST_TEST(get1(c, "notify-keyspace-events") == out);
    }
  }
}

BOOST_AUTO_TEST_CASE(hooks_refuse_and_roll_back) {
  Config c;
  std::vector<std::string> calls;
  c.on_change("hz", [&](const vireo::Settings& s) -> std::optional<std::string> {
    calls.push_back("hz=" + std::to_string(s.hz));
    return std::nullopt;
  });
  c.on_change("maxmemory", [&](const vireo::Settings& s) -> std::optional<std::string> {
    calls.push_back("maxmemory=" + std::to_string(s.maxmemory));
    if (s.maxmemory == 42) return "no, not 42";
    return std::nullopt;
  });
  int binds = 0;
  c.on_change({"port", "bind"}, [&](const vireo::Settings&) -> std::optional<std::string> {
    ++binds;
    return std::nullopt;
  });

  Pairs p = {{"hz", "20"}, {"maxmemory", "42"}, {"timeout", "5"}};
  auto err = c.set(p);
  BOOST_REQUIRE(err);
  BOOST_TEST(*err ==
             "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - no, not 42");
  BOOST_TEST(c.settings().hz == 10);
  BOOST_TEST(c.settings().timeout == 0);
  BOOST_TEST(c.settings().maxmemory == 0u);
  // hz's hook saw the new value, then the restored one.
  BOOST_TEST(calls == (std::vector<std::string>{"hz=20", "maxmemory=42", "hz=10"}));

  calls.clear();
  BOOST_TEST(!set1(c, "hz", "10"));  // unchanged: no hook
  BOOST_TEST(calls.empty());

  Pairs both = {{"port", "7000"}, {"bind", "127.0.0.1"}};
  BOOST_TEST(!c.set(both));
  BOOST_TEST(binds == 1);  // one hook for both names runs once
  BOOST_TEST(c.settings().port == 7000);

  Config refuse_all;
  refuse_all.on_change("timeout",
                       [](const vireo::Settings&) { return std::optional<std::string>(""); });
  BOOST_TEST(*set1(refuse_all, "timeout", "1") ==
             "ERR CONFIG SET failed (possibly related to argument 'timeout')");

  BOOST_CHECK_THROW(c.on_change("nosuch", [](const vireo::Settings&) { return std::nullopt; }),
                    std::invalid_argument);
  BOOST_TEST(c.is_sensitive("requirepass"));
  BOOST_TEST(c.is_sensitive("REQUIREPASS"));
  BOOST_TEST(!c.is_sensitive("port"));
  BOOST_TEST(!c.is_sensitive("nosuch"));
}

BOOST_AUTO_TEST_CASE(rewrite_without_a_file) {
  Config c;
  BOOST_TEST(c.rewrite().value() == "ERR The server is running without a config file");
  BOOST_REQUIRE(!load_args(c, {"--port", "7000"}));
  BOOST_TEST(c.rewrite().value() == "ERR The server is running without a config file");
}

BOOST_AUTO_TEST_CASE(rewrite_round_trip) {
  TempDir d;
  d.write("inc.conf", "tcp-keepalive 100\n");
  const std::string original =
      "# top comment\n"
      "port 7001\n"
      "   hz 50\n"
      "include " +
      (d.path / "inc.conf").string() +
      "\n"
      "\n"
      "# middle comment\n"
      "\n"
      "\n"
      "maxmemory 100mb\n"
      "save 900 1\n"
      "save 300 10\n"
      "timeout 0\n"
      "timeout 5\n"
      "HZ 7\n"
      "hash-max-ziplist-entries 64\n"
      "requirepass secret\n";
  std::string path = d.write("r.conf", original);
  Config c;
  auto err = c.load_file(path);
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  BOOST_TEST(c.settings().hz == 7);

  Pairs changes = {{"maxmemory", "0"},
                   {"hz", "10"},
                   {"loglevel", "warning"},
                   {"save", "60 1"},
                   {"requirepass", ""},
                   {"client-output-buffer-limit", "pubsub 64mb 16mb 90"},
                   {"notify-keyspace-events", "KEA"},
                   {"appendfsync", "always"}};
  BOOST_REQUIRE(!c.set(changes));
  // A line naming something unknown, added to the file after start-up.
  std::ofstream(path, std::ios::app) << "bogus 1 2\nunbalanced \"x\n";
  BOOST_REQUIRE(!c.rewrite());

  const std::string expected =
      "# top comment\n"
      "port 7001\n"
      "hz 10\n"
      "include " +
      (d.path / "inc.conf").string() +
      "\n"
      "\n"
      "# middle comment\n"
      "\n"
      "maxmemory 0\n"
      "save 60 1\n"
      "\n"
      "timeout 5\n"
      "\n"
      "hash-max-listpack-entries 64\n"
      "\n"
      "# ??? bogus 1 2\n"
      "# ??? unbalanced \"x\n"
      "\n"
      "# Generated by CONFIG REWRITE\n"
      "tcp-keepalive 100\n"
      "dir " +
      std::string("\"") + fs::current_path().string() +
      "\"\n"
      "loglevel warning\n"
      "client-output-buffer-limit normal 0 0 0\n"
      "client-output-buffer-limit replica 256mb 64mb 60\n"
      "client-output-buffer-limit pubsub 64mb 16mb 90\n"
      "appendfsync always\n"
      "notify-keyspace-events \"AKE\"\n";
  BOOST_TEST(d.read("r.conf") == expected);

  // Reading the rewritten file gives the same settings back.
  Config again;
  err = again.load_file(path);
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  BOOST_TEST(again.get("*") == c.get("*"));

  // A second rewrite changes nothing, and leaves no temporary file behind.
  BOOST_REQUIRE(!again.rewrite());
  BOOST_TEST(d.read("r.conf") == expected);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(d.path)) {
    (void)entry;
    ++files;
  }
  BOOST_TEST(files == 2u);  // r.conf and inc.conf
}

BOOST_AUTO_TEST_CASE(rewrite_quotes_strings_and_recreates_a_missing_file) {
  TempDir d;
  std::string path = d.write("q.conf", "port 7001\n");
  Config c;
  BOOST_REQUIRE(!c.load_file(path));
  BOOST_REQUIRE(!set1(c, "requirepass", "a b\"c\n\x01"));
  BOOST_REQUIRE(!set1(c, "bind", ""));
  BOOST_REQUIRE(!set1(c, "port", "6380"));
  fs::remove(path);
  BOOST_REQUIRE(!c.rewrite());
  std::string text = d.read("q.conf");
  BOOST_TEST(text.find("# Generated by CONFIG REWRITE\n") == 0u);
  BOOST_TEST(text.find("requirepass \"a b\\\"c\\n\\x01\"\n") != std::string::npos);
  BOOST_TEST(text.find("bind \"\"\n") != std::string::npos);
  BOOST_TEST(text.find("save \"\"\n") != std::string::npos);
  BOOST_TEST(text.find("port 7001\n") == std::string::npos);  // back at default: not written
  Config again;
  BOOST_REQUIRE(!again.load_file(path));
  BOOST_TEST(again.settings().requirepass == "a b\"c\n\x01");
  BOOST_TEST(again.settings().bind.empty());
  BOOST_CHECK((fs::status(path).permissions() & fs::perms::owner_write) != fs::perms::none);
}

BOOST_AUTO_TEST_CASE(shipped_conf_matches_the_defaults) {
  // conf/vireo.conf, found from this source file's path.
  fs::path conf =
      fs::path(__FILE__).parent_path().parent_path().parent_path() / "conf" / "vireo.conf";
  std::ifstream in(conf);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << conf);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();

  // It sends data to ./data, which need not exist here: point it elsewhere.
  TempDir d;
  const std::string dir_line = "\ndir ./data\n";
  size_t at = text.find(dir_line);
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at, dir_line.size(), "\ndir " + d.path.string() + "\n");

  Config c;
  auto err = c.load_string(text, conf.string());
  BOOST_REQUIRE_MESSAGE(!err, (err ? err->format() : ""));
  Config defaults;
  auto loaded = c.get("*");
  auto expected = defaults.get("*");
  BOOST_REQUIRE(loaded.size() == expected.size());
  // Where the shipped file deliberately differs from the built-in default.
  const std::map<std::string, std::string> chosen = {{"appendonly", "yes"}};
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (loaded[i].first == "dir") continue;
    BOOST_TEST_CONTEXT(loaded[i].first) {
      auto it = chosen.find(loaded[i].first);
      BOOST_TEST(loaded[i].second == (it != chosen.end() ? it->second : expected[i].second));
    }
  }

  // Every setting is there, set or shown commented out; aliases need not be.
  for (const auto& [name, value] : loaded) {
    if (name.find("ziplist") != std::string::npos || name == "slaveof" ||
        name == "repl-ping-slave-period") {
      continue;
    }
    BOOST_TEST_CONTEXT(name) {
      bool present = text.find("\n" + name + " ") != std::string::npos ||
                     text.find("\n# " + name + " ") != std::string::npos;
      BOOST_TEST(present);
    }
  }
}

// A multi-word setting given as one argument is split on spaces, as Redis does
// for `--client-output-buffer-limit "normal 1mb 1mb 0"` and `--save "900 1"`.
BOOST_AUTO_TEST_CASE(one_argument_holding_several_words) {
  Config c;
  BOOST_TEST(
      !load_args(c, {"--client-output-buffer-limit", "normal 1mb 2mb 3", "--save", "900 1"}));
  const auto& normal = c.settings().client_output_buffer_limit[vireo::kClientNormal];
  BOOST_TEST(normal.hard_bytes == 1048576u);  // mb = 1024 * 1024
  BOOST_TEST(normal.soft_bytes == 2097152u);
  BOOST_TEST(normal.soft_seconds == 3);
  BOOST_TEST(c.get("save").at(0).second == "900 1");
}

BOOST_AUTO_TEST_SUITE_END()
