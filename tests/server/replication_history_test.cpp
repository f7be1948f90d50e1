// The record of which replication history a data directory continues: what
// a replica and a primary's clean exit write, what start-up reads back, and
// that anything damaged claims nothing.
#include "server/replication_history.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "persistence/durable_file.h"
#include "tests/temp_dir.h"

using vireo::forget_replication_history;
using vireo::read_replication_history;
using vireo::record_replication_history;
using vireo::ReplicationHistory;
using vireo::test::TempDir;

namespace {

const std::string kId = "0123456789abcdef0123456789abcdef01234567";
const char* const kFile = "primary-replication-id";

}  // namespace

BOOST_AUTO_TEST_SUITE(replication_history)

BOOST_AUTO_TEST_CASE(nothing_recorded_reads_as_no_history) {
  TempDir dir;
  const ReplicationHistory h = read_replication_history(dir.path.string());
  BOOST_TEST(h.replid.empty());
  BOOST_TEST(!h.end.has_value());
}

BOOST_AUTO_TEST_CASE(a_replicas_record_is_the_id_alone_as_earlier_versions_wrote_it) {
  TempDir dir;
  BOOST_TEST(record_replication_history(dir.path.string(), {kId}) == "");
  BOOST_TEST(dir.read(kFile) == kId);
  const ReplicationHistory h = read_replication_history(dir.path.string());
  BOOST_TEST(h.replid == kId);
  BOOST_TEST(!h.end.has_value());
}

BOOST_AUTO_TEST_CASE(a_primarys_record_carries_the_streams_end) {
  TempDir dir;
  BOOST_TEST(record_replication_history(dir.path.string(), {kId, 18446744073709551615ull}) == "");
  BOOST_TEST(dir.read(kFile) == kId + " 18446744073709551615");
  const ReplicationHistory h = read_replication_history(dir.path.string());
  BOOST_TEST(h.replid == kId);
  BOOST_TEST(h.end.value_or(0) == 18446744073709551615ull);
  // Replaced whole, and no temporary file is left behind.
  BOOST_TEST(record_replication_history(dir.path.string(), {kId, 62}) == "");
  BOOST_TEST(read_replication_history(dir.path.string()).end.value_or(0) == 62u);
  BOOST_TEST(!std::filesystem::exists(dir.path / (std::string(kFile) + ".tmp")));
}

BOOST_AUTO_TEST_CASE(a_damaged_record_claims_nothing) {
  TempDir dir;
  for (const std::string& text :
       {kId.substr(0, 39), kId + " ", kId + " x", kId + " -1", kId + " 12 ", kId + "\n",
        kId + "  12", kId + " 99999999999999999999999"}) {
    dir.write(kFile, text);
    const ReplicationHistory h = read_replication_history(dir.path.string());
    BOOST_TEST(h.replid.empty(), "read an id from \"" << text << "\"");
    BOOST_TEST(!h.end.has_value());
  }
}

BOOST_AUTO_TEST_CASE(forgetting_removes_the_record_and_is_idempotent) {
  TempDir dir;
  BOOST_TEST(record_replication_history(dir.path.string(), {kId, 7}) == "");
  BOOST_TEST(forget_replication_history(dir.path.string()) == "");
  BOOST_TEST(!std::filesystem::exists(dir.path / kFile));
  BOOST_TEST(read_replication_history(dir.path.string()).replid.empty());
  BOOST_TEST(forget_replication_history(dir.path.string()) == "");
}

BOOST_AUTO_TEST_CASE(errors_name_the_path) {
  const std::string missing = "/nonexistent-vireo-dir";
  const std::string error = record_replication_history(missing, {kId, 1});
  BOOST_TEST(error.find(missing) != std::string::npos, error);
  BOOST_TEST(vireo::sync_directory(missing).find(missing) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
