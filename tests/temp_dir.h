#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace vireo::test {

// A fresh directory under the system's temporary directory, removed with
// everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vireo-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Creates (or replaces) file `name` with `content`; returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  // The contents of file `name` ("" if it does not exist).
  std::string read(const std::string& name) const {
    std::ifstream in(path / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string str() const { return path.string(); }
};

}  // namespace vireo::test
