#include "tests/core/command_fixture.h"

#include <fmt/format.h>

#include <stdexcept>

#include "core/commands/families.h"

namespace vireo::test {

CommandFixture::CommandFixture(int databases) : keyspace_(databases) {
  register_core_commands(table_);
  keyspace_.set_listener(&expiry_effects_);
  keyspace_.events().set_publisher(&published_);
  client_.id = 1;
}

std::string CommandFixture::run(std::initializer_list<std::string_view> args) {
  std::vector<std::string> owned(args.begin(), args.end());
  return run(owned);
}

std::string CommandFixture::run(const std::vector<std::string>& args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return capture(views, nullptr);
}

std::string CommandFixture::run_in(IsolatedTransaction& txn,
                                   std::initializer_list<std::string_view> args) {
  return capture(std::vector<std::string_view>(args), &txn);
}

std::string CommandFixture::capture(const std::vector<std::string_view>& views,
                                    IsolatedTransaction* txn) {
  ReplyBuffer out;
  ReplyWriter writer(&out, client_.protocol);
  keyspace_.set_now(now_ms_);
  last_block_request_.reset();
  if (const Command* cmd = table_.resolve(views, writer)) {
    CommandContext ctx(keyspace_, client_, writer, txn ? txn->effects() : tap_, table_, limits_);
    ctx.can_block = can_block_ && !txn;
    if (!txn) {
      invoke(ctx, *cmd, views);
    } else if (std::string_view why = IsolatedTransaction::refusal(*cmd->spec, views);
               !why.empty()) {
      writer.error(why);
    } else {
      txn->run(*cmd->spec, views, [&] { invoke(ctx, *cmd, views); });
    }
    last_block_request_ = std::move(ctx.block_request);
  }
  std::string reply;
  std::string_view parts[64];
  while (!out.empty()) {
    size_t n = out.peek(parts);
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      reply.append(parts[i]);
      bytes += parts[i].size();
    }
    out.consume(bytes);
  }
  return reply;
}

std::vector<std::vector<std::string>> CommandFixture::take_effects() {
  auto decoded = decode_commands(effects_.bytes());
  effects_.clear();
  return decoded;
}

std::vector<std::pair<std::string, std::string>> CommandFixture::take_notifications() {
  return std::exchange(published_.messages, {});
}

std::string bulk(std::string_view s) {
  return fmt::format("${}\r\n{}\r\n", s.size(), s);
}
std::string integer(int64_t v) {
  return fmt::format(":{}\r\n", v);
}
std::string simple(std::string_view s) {
  return fmt::format("+{}\r\n", s);
}
std::string error(std::string_view s) {
  return fmt::format("-{}\r\n", s);
}

std::string array(std::initializer_list<std::string> elements) {
  std::string out = fmt::format("*{}\r\n", elements.size());
  for (const auto& e : elements)
    out += e;
  return out;
}

std::vector<std::vector<std::string>> decode_commands(std::string_view s) {
  std::vector<std::vector<std::string>> out;
  size_t pos = 0;
  auto read_line = [&]() {
    size_t end = s.find("\r\n", pos);
    if (end == std::string_view::npos) throw std::runtime_error("truncated effect stream");
    std::string_view line = s.substr(pos, end - pos);
    pos = end + 2;
    return line;
  };
  while (pos < s.size()) {
    std::string_view header = read_line();
    if (header.empty() || header[0] != '*') throw std::runtime_error("expected multibulk");
    size_t argc = std::stoul(std::string(header.substr(1)));
    std::vector<std::string> argv;
    for (size_t i = 0; i < argc; ++i) {
      std::string_view len_line = read_line();
      size_t len = std::stoul(std::string(len_line.substr(1)));
      argv.emplace_back(s.substr(pos, len));
      pos += len + 2;
    }
    out.push_back(std::move(argv));
  }
  return out;
}

}  // namespace vireo::test
