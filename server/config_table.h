#pragma once

// The table behind Config (internal to server/config*.cpp): one row per
// setting, saying how to parse, report and rewrite it as Redis 7.0 does.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"

namespace vireo::config_table {

// Bit flags of Spec::flags.
enum Flag : unsigned {
  kImmutable = 1u << 0,  // start-up only: CONFIG SET refuses
  kSensitive = 1u << 1,  // value redacted from SLOWLOG / MONITOR
  kProtected = 1u << 2,  // CONFIG SET only as enable-protected-configs allows
  kMultiArg = 1u << 3,   // takes several words; CONFIG SET splits its value on spaces
};

// One line CONFIG REWRITE writes for a setting.
struct RewriteLine {
  std::string text;
  bool force;  // write it even if the file has no line for this setting
};

// Where a value comes from: `save` accumulates across a file's lines but
// CONFIG SET replaces it.
struct LoadState {
  bool loading = false;         // from a file, stdin or the command line
  bool* save_loaded = nullptr;  // while loading: a `save` line was already read
};

// The reason a value was refused (the text after "- " in CONFIG SET's error
// reply, or a start-up error's reason); nullopt when accepted.
using Error = std::optional<std::string>;

// The words after a setting's name.
using Args = std::span<const std::string>;

// One setting.
struct Spec {
  std::string_view name;
  std::vector<std::string_view> aliases;
  unsigned flags = 0;
  // Parses and stores the words after the name (exactly one unless
  // kMultiArg); returns the reason for refusing them.
  std::function<Error(Settings&, Args, LoadState&)> set;
  // The value as CONFIG GET replies it.
  std::function<std::string(const Settings&)> get;
  // The lines CONFIG REWRITE writes; none removes the setting's lines.
  std::function<std::vector<RewriteLine>(const Settings& now, const Settings& defaults)> rewrite;
};

// Every setting, in the order CONFIG GET and CONFIG REWRITE list them. Built
// on first use; Config refers to rows by their index.
const std::vector<Spec>& table();

// The index in table() of a setting named `name` or one of its aliases,
// case-insensitively; nullopt for unknown names.
std::optional<size_t> find_spec(std::string_view name);

// `s` double-quoted so that split_args (core/split_args.h) reads it back
// unchanged, as Redis's sdscatrepr quotes it.
std::string repr(std::string_view s);

}  // namespace vireo::config_table
