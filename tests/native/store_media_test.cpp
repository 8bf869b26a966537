// Repositories with bytes or timelines: renders, audios, phonemes, assets, and their cascades.
#include <gtest/gtest.h>

#include "error_of.h"

#include <chrono>
#include <cstring>
#include <string>

#include "store/sha256.h"
#include "store/store.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

std::vector<uint8_t> floatSamples(size_t count) {
  std::vector<float> samples(count);
  for (size_t i = 0; i < count; ++i) samples[i] = static_cast<float>(i) / static_cast<float>(count);
  std::vector<uint8_t> bytes(count * sizeof(float));
  std::memcpy(bytes.data(), samples.data(), bytes.size());
  return bytes;
}

std::vector<uint8_t> minimalWav() {
  const char header[] = "RIFF\x24\0\0\0WAVEfmt ";
  return std::vector<uint8_t>(header, header + sizeof header - 1);
}

class MediaTest : public ::testing::Test {
 protected:
  Session newSession(int64_t avatarId) {
    NewSession fields;
    fields.avatarId = avatarId;
    fields.kind = "interview";
    return store.sessions().create(fields);
  }
  NewAudio audioFields(std::optional<int64_t> sessionId = std::nullopt) {
    NewAudio fields;
    fields.avatarId = ada.id;
    fields.sessionId = sessionId;
    fields.text = "Hello there.";
    fields.voiceId = "en_US-amy-medium";
    fields.sampleRate = 22050;
    fields.durationMs = 1000;
    fields.format = "pcm_f32";
    fields.metadata = {{"speed", 1.0}};
    return fields;
  }
  NewRender renderFields(std::optional<int64_t> sessionId = std::nullopt) {
    NewRender fields;
    fields.avatarId = ada.id;
    fields.sessionId = sessionId;
    fields.kind = "thumbnail";
    fields.mime = "image/png";
    fields.width = 64;
    fields.height = 48;
    return fields;
  }
  std::vector<NewPhoneme> timeline(int count) {
    std::vector<NewPhoneme> rows;
    rows.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      rows.push_back(
          {i, i % 2 == 0 ? "a" : "ʃ", i * 10.5, i * 10.5 + 10.5, "v" + std::to_string(i % 15)});
    }
    return rows;
  }

  Store store{":memory:"};
  Avatar ada = store.avatars().create("Ada");
};

TEST_F(MediaTest, RenderCrud) {
  const std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 1, 2, 3};
  const Render r = store.renders().create(renderFields(), png);
  EXPECT_EQ(r.size, 7);
  EXPECT_EQ(r.width, 64);
  EXPECT_FALSE(r.sessionId.has_value());
  EXPECT_EQ(store.renders().getBytes(r.id), png);
  EXPECT_EQ(store.renders().get(r.id).mime, "image/png");

  const Session s = newSession(ada.id);
  store.renders().create(renderFields(s.id), png);
  RenderFilter bySession;
  bySession.sessionId = s.id;
  EXPECT_EQ(store.renders().list(bySession).size(), 1u);
  EXPECT_EQ(store.renders().list().size(), 2u);

  RenderUpdate update;
  update.kind = "frame";
  update.metadata = json{{"frame", 12}};
  const Render changed = store.renders().update(r.id, update);
  EXPECT_EQ(changed.kind, "frame");
  EXPECT_EQ(changed.metadata["frame"], 12);

  store.renders().remove(r.id);
  EXPECT_EQ(errorOf([&] { store.renders().getBytes(r.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.renders().remove(r.id); }).code(), ErrorCode::kNotFound);
  NewRender flat = renderFields();
  flat.height = 0;
  EXPECT_EQ(errorOf([&] { store.renders().create(flat, png); }).code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(MediaTest, RenderAndAudioNeedTheirAvatarAndALiveMatchingSession) {
  const Avatar bob = store.avatars().create("Bob");
  const Session bobs = newSession(bob.id);
  EXPECT_EQ(errorOf([&] { store.renders().create(renderFields(bobs.id), {1}); }).code(),
            ErrorCode::kConstraint);
  EXPECT_EQ(errorOf([&] { store.audios().create(audioFields(bobs.id), floatSamples(4)); }).code(),
            ErrorCode::kConstraint);
  NewRender noAvatar = renderFields();
  noAvatar.avatarId = 999;
  EXPECT_EQ(errorOf([&] { store.renders().create(noAvatar, {1}); }).code(), ErrorCode::kNotFound);
  const Session mine = newSession(ada.id);
  store.sessions().softDelete(mine.id);
  EXPECT_EQ(errorOf([&] { store.renders().create(renderFields(mine.id), {1}); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store.renders().count(), 0);
  EXPECT_EQ(store.audios().count(), 0);
}

TEST_F(MediaTest, AudioCrudAndFormats) {
  const std::vector<uint8_t> samples = floatSamples(2205);
  const Audio a = store.audios().create(audioFields(), samples);
  EXPECT_EQ(a.size, static_cast<int64_t>(samples.size()));
  EXPECT_EQ(a.format, "pcm_f32");
  EXPECT_EQ(a.metadata["speed"], 1.0);
  EXPECT_EQ(store.audios().getBytes(a.id), samples);

  NewAudio wav = audioFields();
  wav.format = "wav";
  wav.avatarId.reset();  // audio without an avatar (a voice preview)
  const Audio preview = store.audios().create(wav, minimalWav());
  EXPECT_FALSE(preview.avatarId.has_value());

  EXPECT_EQ(errorOf([&] { store.audios().create(wav, floatSamples(3)); }).code(),
            ErrorCode::kInvalidArgument);  // no RIFF header
  EXPECT_EQ(errorOf([&] {
              store.audios().create(audioFields(), {1, 2, 3});
            }).code(),
            ErrorCode::kInvalidArgument);  // not whole floats
  NewAudio mp3 = audioFields();
  mp3.format = "mp3";
  EXPECT_EQ(errorOf([&] { store.audios().create(mp3, {}); }).code(), ErrorCode::kInvalidArgument);

  AudioFilter byAvatar;
  byAvatar.avatarId = ada.id;
  EXPECT_EQ(store.audios().list(byAvatar).size(), 1u);
  AudioFilter byVoice;
  byVoice.voiceId = "en_US-amy-medium";
  EXPECT_EQ(store.audios().list(byVoice).size(), 2u);

  AudioUpdate update;
  update.metadata = json{{"kept", true}};
  EXPECT_EQ(store.audios().update(a.id, update).metadata["kept"], true);
  store.audios().remove(preview.id);
  EXPECT_EQ(store.audios().count(), 1);
  EXPECT_EQ(errorOf([&] { store.audios().get(preview.id); }).code(), ErrorCode::kNotFound);
}

TEST_F(MediaTest, PhonemeBatchOf10kIsFastAndExact) {
  const Audio a = store.audios().create(audioFields(), floatSamples(16));
  const std::vector<NewPhoneme> rows = timeline(10000);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(store.phonemes().insertBatch(a.id, rows), 10000);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[   INFO   ] insertBatch of 10000 phonemes: %lld ms\n",
              static_cast<long long>(elapsed.count()));
  // Generous bound (sanitizer builds are slow); the point is one transaction, not 10k fsyncs.
  EXPECT_LT(elapsed.count(), 5000);

  EXPECT_EQ(store.phonemes().count(a.id), 10000);
  const std::vector<Phoneme> all = store.phonemes().list(a.id);
  ASSERT_EQ(all.size(), 10000u);
  EXPECT_EQ(all[0].phoneme, "a");
  EXPECT_EQ(all[1].phoneme, "ʃ");
  EXPECT_DOUBLE_EQ(all[9999].startMs, 9999 * 10.5);
  EXPECT_DOUBLE_EQ(all[9999].endMs, 10000 * 10.5);
  EXPECT_EQ(all[4321].viseme, "v" + std::to_string(4321 % 15));
  EXPECT_EQ(store.phonemes().get(a.id, 777).idx, 777);
}

TEST_F(MediaTest, PhonemeBatchIsAllOrNothing) {
  const Audio a = store.audios().create(audioFields(), floatSamples(16));
  std::vector<NewPhoneme> rows = timeline(100);
  rows[99].idx = 5;  // duplicate key, found only by SQLite at the last row
  const Error duplicate = errorOf([&] { store.phonemes().insertBatch(a.id, rows); });
  EXPECT_EQ(duplicate.code(), ErrorCode::kConstraint);
  EXPECT_NE(std::string(duplicate.what()).find("rows[99]"), std::string::npos) << duplicate.what();
  EXPECT_EQ(store.phonemes().count(a.id), 0);

  rows = timeline(3);
  rows[2].endMs = 1.0;  // ends before it starts
  const Error timing = errorOf([&] { store.phonemes().insertBatch(a.id, rows); });
  EXPECT_EQ(timing.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(timing.what()).find("rows[2]"), std::string::npos);
  EXPECT_EQ(errorOf([&] { store.phonemes().insertBatch(999, timeline(1)); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store.phonemes().countAll(), 0);
}

TEST_F(MediaTest, PhonemeGetUpdateRemove) {
  const Audio a = store.audios().create(audioFields(), floatSamples(16));
  store.phonemes().insertBatch(a.id, timeline(3));
  PhonemeUpdate update;
  update.viseme = "PP";
  update.endMs = 15.0;
  const Phoneme changed = store.phonemes().update(a.id, 1, update);
  EXPECT_EQ(changed.viseme, "PP");
  EXPECT_DOUBLE_EQ(changed.startMs, 10.5);
  EXPECT_DOUBLE_EQ(store.phonemes().get(a.id, 1).endMs, 15.0);
  update.endMs = 1.0;
  EXPECT_EQ(errorOf([&] { store.phonemes().update(a.id, 1, update); }).code(),
            ErrorCode::kInvalidArgument);
  store.phonemes().remove(a.id, 0);
  EXPECT_EQ(errorOf([&] { store.phonemes().get(a.id, 0); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.phonemes().remove(a.id, 0); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.phonemes().removeAll(a.id), 2);
  EXPECT_TRUE(store.phonemes().list(a.id).empty());
  EXPECT_EQ(errorOf([&] { store.phonemes().list(999); }).code(), ErrorCode::kNotFound);
}

TEST_F(MediaTest, CascadesFollowTheOwnershipTree) {
  const Session s = newSession(ada.id);
  const Audio inSession = store.audios().create(audioFields(s.id), floatSamples(8));
  const Audio outside = store.audios().create(audioFields(), floatSamples(8));
  store.phonemes().insertBatch(inSession.id, timeline(5));
  store.phonemes().insertBatch(outside.id, timeline(7));
  store.renders().create(renderFields(s.id), {1, 2});
  store.renders().create(renderFields(), {3});

  // Soft delete keeps everything.
  store.sessions().softDelete(s.id);
  EXPECT_EQ(store.audios().count(), 2);
  EXPECT_EQ(store.phonemes().countAll(), 12);

  // Purge removes the session's audios, their phonemes and its renders; nothing else.
  store.sessions().purge(s.id);
  EXPECT_EQ(errorOf([&] { store.audios().get(inSession.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.phonemes().countAll(), 7);
  EXPECT_EQ(store.renders().count(), 1);

  // Deleting an audio removes its phonemes.
  store.audios().remove(outside.id);
  EXPECT_EQ(store.phonemes().countAll(), 0);

  // Deleting the avatar removes the rest.
  store.audios().create(audioFields(), floatSamples(8));
  store.avatars().remove(ada.id);
  EXPECT_EQ(store.audios().count(), 0);
  EXPECT_EQ(store.renders().count(), 0);
}

TEST_F(MediaTest, AudioWithPhonemesInOneTransaction) {
  std::vector<NewPhoneme> rows = timeline(10);
  rows[9].idx = 0;  // makes the batch fail after the audio row was written
  EXPECT_EQ(errorOf([&] {
              store.database().transaction([&] {
                const Audio a = store.audios().create(audioFields(), floatSamples(8));
                store.phonemes().insertBatch(a.id, rows);
              });
            }).code(),
            ErrorCode::kConstraint);
  EXPECT_EQ(store.audios().count(), 0);  // the audio went with the failed timeline
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(sha256Hex(nullptr, 0),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  EXPECT_EQ(sha256Hex(reinterpret_cast<const uint8_t*>(abc.data()), abc.size()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding spills into a second block.
  const std::string twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(sha256Hex(reinterpret_cast<const uint8_t*>(twoBlocks.data()), twoBlocks.size()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string million(1000000, 'a');
  EXPECT_EQ(sha256Hex(reinterpret_cast<const uint8_t*>(million.data()), million.size()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(MediaTest, AssetCrudHashAndNames) {
  const std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  const Asset a = store.assets().create("studio background.png", "image/png", bytes);
  EXPECT_EQ(a.size, 3);
  EXPECT_EQ(a.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(store.assets().getBytes(a.id), bytes);
  EXPECT_EQ(store.assets().findByName("studio background.png")->id, a.id);
  EXPECT_FALSE(store.assets().findByName("nope").has_value());
  EXPECT_EQ(
      errorOf([&] { store.assets().create("studio background.png", "image/png", {}); }).code(),
      ErrorCode::kConstraint);

  for (const char* bad : {"", "../etc/passwd", "a/b", "a\\b", ".hidden", "trailing.", "c:x",
                          "tab\there", "what?", "\xff"}) {
    EXPECT_EQ(errorOf([&] { store.assets().create(bad, "text/plain", {}); }).code(),
              ErrorCode::kInvalidArgument)
        << bad;
  }
  EXPECT_TRUE(isSafeAssetName("Übung 1 (final).wav"));
  EXPECT_FALSE(isSafeAssetName(std::string(256, 'x')));

  AssetUpdate rename;
  rename.name = "bg.png";
  EXPECT_EQ(store.assets().update(a.id, rename).name, "bg.png");
  const Asset replaced = store.assets().replaceBytes(a.id, {});
  EXPECT_EQ(replaced.size, 0);
  EXPECT_EQ(replaced.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(store.assets().list().size(), 1u);
  store.assets().remove(a.id);
  EXPECT_EQ(errorOf([&] { store.assets().get(a.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.assets().replaceBytes(a.id, {}); }).code(), ErrorCode::kNotFound);
}

TEST_F(MediaTest, AssetSizeLimitComesFromConfig) {
  store.config().set("assets.maxBytes", 8);
  store.assets().create("fits.bin", "application/octet-stream", std::vector<uint8_t>(8));
  const Error tooBig = errorOf([&] {
    store.assets().create("big.bin", "application/octet-stream", std::vector<uint8_t>(9));
  });
  EXPECT_EQ(tooBig.code(), ErrorCode::kConstraint);
  EXPECT_STREQ(tooBig.what(), "asset is 9 bytes, over the limit assets.maxBytes = 8");
  const Asset fits = *store.assets().findByName("fits.bin");
  EXPECT_EQ(errorOf([&] { store.assets().replaceBytes(fits.id, std::vector<uint8_t>(9)); }).code(),
            ErrorCode::kConstraint);
  EXPECT_EQ(store.assets().count(), 1);
}

}  // namespace
}  // namespace avatar_voice::store
