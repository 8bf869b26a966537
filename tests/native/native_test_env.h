// Shared fixtures for the native suite: the espeak engine over the data the build compiled, the
// native espeak-ng 1.52 CLI as a reference, fixture files and fuzz seeds, and private temporary
// folders (ctest runs tests in parallel processes, so no two tests may share a fixed path).
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "phonemize/espeak_engine.h"

namespace avatar_voice::testenv {

inline EspeakEngine& engine() { return EspeakEngine::initialize(AV_ESPEAK_DATA_ROOT); }

// A whole file's bytes, or an empty string when it cannot be opened (check `exists` first where
// an absent file must fail the test).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return in ? std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) : std::string();
}

// tests/fixtures/NAME.
inline std::string fixturePath(const std::string& name) { return std::string(AV_FIXTURES_DIR) + "/" + name; }

// A committed fuzz seed: tests/fuzz/corpus/TARGET/NAME.
inline std::string fuzzSeedPath(const std::string& target, const std::string& name) {
  return std::string(AV_FIXTURES_DIR) + "/../fuzz/corpus/" + target + "/" + name;
}

// A generated test voice (scripts/make_test_voices.sh → build/voices/NAME), when present.
inline std::string testVoicePath(const std::string& name) { return std::string(AV_TEST_VOICES_DIR) + "/" + name; }

// A fresh folder of this test's own under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "av_native_XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::string> readLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

// Runs the native CLI: `espeak-ng -q --ipa -v VOICE` with the text on stdin.
inline std::string runCli(const std::string& text, const std::string& voice) {
  char inPath[] = "/tmp/av_cli_inXXXXXX";
  const int fd = mkstemp(inPath);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  {
    std::ofstream out(inPath);
    out << text;
  }
  close(fd);
  const std::string cmd = std::string("ESPEAK_DATA_PATH='") + AV_ESPEAK_DATA_ROOT + "' '" +
                          AV_ESPEAK_CLI + "' -q --ipa -v " + voice + " -f " + inPath;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("popen failed");
  std::string output;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) output.append(buffer.data(), n);
  std::remove(inPath);
  return output;
}

}  // namespace avatar_voice::testenv
