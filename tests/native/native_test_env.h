// Shared fixtures for the native suite: the espeak engine over the data the build compiled, the
// native espeak-ng 1.52 CLI as a reference, and fixture files.
#pragma once

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "phonemize/espeak_engine.h"

namespace avatar_voice::testenv {

inline EspeakEngine& engine() { return EspeakEngine::initialize(AV_ESPEAK_DATA_ROOT); }

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
