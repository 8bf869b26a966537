#include "phonemize/espeak_data_pack.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace avatar_voice {
namespace {

constexpr char kMagic[8] = {'A', 'V', 'E', 'S', 'P', 'K', '0', '1'};
constexpr uint32_t kMaxFiles = 4096;

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument, "invalid espeak-ng data pack: " + why);
}

bool safePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  return path.find('\0') == std::string::npos && path.find('\\') == std::string::npos;
}

}  // namespace

std::vector<EspeakDataFile> readEspeakDataPack(const uint8_t* bytes, size_t size) {
  size_t pos = 0;
  auto need = [&](size_t n, const char* what) {
    if (n > size - pos) fail(std::string("truncated ") + what + " at byte " + std::to_string(pos));
  };
  auto readU32 = [&](const char* what) {
    need(4, what);
    const uint32_t v = uint32_t(bytes[pos]) | uint32_t(bytes[pos + 1]) << 8 |
                       uint32_t(bytes[pos + 2]) << 16 | uint32_t(bytes[pos + 3]) << 24;
    pos += 4;
    return v;
  };
  if (bytes == nullptr || size < sizeof kMagic || std::memcmp(bytes, kMagic, sizeof kMagic) != 0)
    fail("missing AVESPK01 header");
  pos = sizeof kMagic;
  const uint32_t count = readU32("file count");
  if (count == 0 || count > kMaxFiles) fail("file count " + std::to_string(count) + " out of range");
  std::vector<EspeakDataFile> files;
  files.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    need(2, "path length");
    const size_t pathLength = size_t(bytes[pos]) | size_t(bytes[pos + 1]) << 8;
    pos += 2;
    need(pathLength, "path");
    std::string path(reinterpret_cast<const char*>(bytes + pos), pathLength);
    pos += pathLength;
    if (!safePath(path)) fail("unsafe path \"" + path + "\"");
    const uint32_t fileSize = readU32("file size");
    need(fileSize, "file data");
    files.push_back({std::move(path), bytes + pos, fileSize});
    pos += fileSize;
  }
  if (pos != size) fail(std::to_string(size - pos) + " trailing bytes");
  return files;
}

size_t installEspeakDataPack(const uint8_t* bytes, size_t size, const std::string& root) {
  const std::vector<EspeakDataFile> files = readEspeakDataPack(bytes, size);
  namespace fs = std::filesystem;
  for (const EspeakDataFile& file : files) {
    const fs::path target = fs::path(root) / file.path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error(ErrorCode::kInternal, "cannot create " + target.parent_path().string());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(file.data), static_cast<std::streamsize>(file.size));
    if (!out) throw Error(ErrorCode::kInternal, "cannot write " + target.string());
  }
  return files.size();
}

}  // namespace avatar_voice
