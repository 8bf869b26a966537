#include "phonemize/espeak_data_pack.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/error.h"
#include "phonemize/espeak_dictionary_layout.h"

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
    // A compiled dictionary is loaded by espeak-ng, which trusts its offsets and counts.
    const std::string base = path.substr(path.rfind('/') + 1);
    if (base.size() > 5 && base.compare(base.size() - 5, 5, "_dict") == 0)
      requireValidEspeakDictionary(bytes + pos, fileSize, path);
    files.push_back({std::move(path), bytes + pos, fileSize});
    pos += fileSize;
  }
  if (pos != size) fail(std::to_string(size - pos) + " trailing bytes");
  std::set<std::string> seen;
  for (const EspeakDataFile& file : files)
    if (!seen.insert(file.path).second) fail("\"" + file.path + "\" appears twice");
  return files;
}

size_t installEspeakDataPack(const uint8_t* bytes, size_t size, const std::string& root) {
  const std::vector<EspeakDataFile> files = readEspeakDataPack(bytes, size);
  namespace fs = std::filesystem;
  // Installed files are never replaced: a language pack must not swap the phoneme tables, the
  // English dictionary or another language's voice file under the running engine. Installing
  // the same file again (the same pack twice) is allowed and writes nothing. Checked for every
  // file before the first is written, so a rejected pack changes nothing.
  std::vector<const EspeakDataFile*> toWrite;
  for (const EspeakDataFile& file : files) {
    const fs::path target = fs::path(root) / file.path;
    std::error_code ec;
    if (!fs::exists(target, ec)) {
      toWrite.push_back(&file);
      continue;
    }
    std::ifstream in(target, std::ios::binary);
    const bool same = in && fs::is_regular_file(target, ec) && fs::file_size(target, ec) == file.size &&
                      std::equal(file.data, file.data + file.size, std::istreambuf_iterator<char>(in),
                                 [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); });
    if (!same) fail("\"" + file.path + "\" would replace an installed file");
  }
  for (const EspeakDataFile* entry : toWrite) {
    const EspeakDataFile& file = *entry;
    const fs::path target = fs::path(root) / file.path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error(ErrorCode::kInternal, "cannot create " + target.parent_path().string());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(file.data), static_cast<std::streamsize>(file.size));
    if (!out) throw Error(ErrorCode::kInternal, "cannot write " + target.string());
  }
  return toWrite.size();
}

}  // namespace avatar_voice
