// Repositories without bytes: avatars, sessions (soft delete), presets, config.
#include <gtest/gtest.h>

#include "error_of.h"

#include <string>

#include "store/store.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

// A store whose clock advances by 1 ms per reading, so timestamps are predictable and ordered.
class EntitiesTest : public ::testing::Test {
 protected:
  static DatabaseOptions tickingClock(int64_t* now) {
    DatabaseOptions options;
    options.clock = [now] { return ++*now; };
    return options;
  }
  int64_t now = 1000;
  Store store{":memory:", "", tickingClock(&now)};
};

TEST_F(EntitiesTest, AvatarCrud) {
  const Avatar ada = store.avatars().create("Ada", {{"emotion", "calm"}});
  EXPECT_GT(ada.id, 0);
  EXPECT_EQ(ada.state["emotion"], "calm");
  EXPECT_EQ(ada.createdAt, ada.updatedAt);
  EXPECT_EQ(store.avatars().get(ada.id).name, "Ada");

  AvatarUpdate rename;
  rename.name = "Ada L.";
  const Avatar renamed = store.avatars().update(ada.id, rename);
  EXPECT_EQ(renamed.name, "Ada L.");
  EXPECT_EQ(renamed.state["emotion"], "calm");  // untouched
  EXPECT_GT(renamed.updatedAt, ada.updatedAt);
  EXPECT_EQ(renamed.createdAt, ada.createdAt);

  AvatarUpdate replaceState;
  replaceState.state = json{{"pose", "sitting"}};
  EXPECT_EQ(store.avatars().update(ada.id, replaceState).state, json({{"pose", "sitting"}}));
  EXPECT_EQ(store.avatars().update(ada.id, AvatarUpdate{}).updatedAt,
            store.avatars().get(ada.id).updatedAt);  // empty update changes nothing

  store.avatars().remove(ada.id);
  EXPECT_EQ(errorOf([&] { store.avatars().get(ada.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.avatars().count(), 0);
}

TEST_F(EntitiesTest, AvatarListPagesById) {
  for (int i = 0; i < 5; ++i) store.avatars().create("a" + std::to_string(i));
  Page page;
  page.limit = 2;
  page.offset = 1;
  const std::vector<Avatar> slice = store.avatars().list(page);
  ASSERT_EQ(slice.size(), 2u);
  EXPECT_EQ(slice[0].name, "a1");
  EXPECT_EQ(slice[1].name, "a2");
  page.limit = 0;
  EXPECT_EQ(errorOf([&] { store.avatars().list(page); }).code(), ErrorCode::kInvalidArgument);
  page.limit = 10;
  page.offset = -1;
  EXPECT_EQ(errorOf([&] { store.avatars().list(page); }).code(), ErrorCode::kInvalidArgument);
}

TEST_F(EntitiesTest, AvatarValidation) {
  store.avatars().create("Ada");
  EXPECT_EQ(errorOf([&] { store.avatars().create("Ada"); }).code(), ErrorCode::kConstraint);
  EXPECT_EQ(errorOf([&] { store.avatars().create("  "); }).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { store.avatars().create("x", json::array()); }).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { store.avatars().create("\xff\xfe"); }).code(), ErrorCode::kInvalidUtf8);
  EXPECT_EQ(errorOf([&] {
              store.avatars().create("y", {{"bad", "\xc3"}});
            }).code(),
            ErrorCode::kInvalidUtf8);
}

TEST_F(EntitiesTest, AvatarGetOrCreateAndFindByName) {
  const Avatar first = store.avatars().getOrCreate("Bob");
  const Avatar second = store.avatars().getOrCreate("Bob");
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(store.avatars().count(), 1);
  EXPECT_EQ(store.avatars().findByName("Bob")->id, first.id);
  EXPECT_FALSE(store.avatars().findByName("Nobody").has_value());
}

TEST_F(EntitiesTest, AvatarPatchStateIsJsonMergePatch) {
  const Avatar ada = store.avatars().create(
      "Ada",
      {{"emotion", "calm"}, {"pose", "standing"}, {"look", {{"hair", "red"}, {"eyes", "green"}}}});
  const Avatar patched = store.avatars().patchState(
      ada.id, {{"emotion", "happy"}, {"pose", nullptr}, {"look", {{"hair", "blue"}}}, {"new", 1}});
  EXPECT_EQ(
      patched.state,
      json({{"emotion", "happy"}, {"look", {{"hair", "blue"}, {"eyes", "green"}}}, {"new", 1}}));
  EXPECT_EQ(store.avatars().get(ada.id).state, patched.state);
  EXPECT_GT(patched.updatedAt, ada.updatedAt);
  EXPECT_EQ(errorOf([&] { store.avatars().patchState(ada.id, json::array({1})); }).code(),
            ErrorCode::kInvalidArgument);
  const Error missing = errorOf([&] { store.avatars().patchState(42, {{"a", 1}}); });
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_STREQ(missing.what(), "avatar 42 not found");
}

TEST_F(EntitiesTest, UnknownIdsAreNotFoundEverywhere) {
  EXPECT_EQ(errorOf([&] { store.avatars().get(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] {
              store.avatars().update(42, AvatarUpdate{{"x"}, {}});
            }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.avatars().remove(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sessions().get(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sessions().softDelete(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sessions().restore(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sessions().purge(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.presets().get(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.presets().remove(42); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.config().get("no.such.key"); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.config().remove("no.such.key"); }).code(), ErrorCode::kNotFound);
  NewSession orphan;
  orphan.avatarId = 42;
  orphan.kind = "interview";
  const Error noAvatar = errorOf([&] { store.sessions().create(orphan); });
  EXPECT_EQ(noAvatar.code(), ErrorCode::kNotFound);
  EXPECT_STREQ(noAvatar.what(), "avatar 42 not found");
}

class SessionsTest : public EntitiesTest {
 protected:
  Session newSession(const std::string& kind, int64_t avatarId = 0) {
    NewSession fields;
    fields.avatarId = avatarId != 0 ? avatarId : ada.id;
    fields.kind = kind;
    fields.title = kind + " title";
    fields.metadata = {{"lang", "en"}};
    return store.sessions().create(fields);
  }
  Avatar ada = store.avatars().create("Ada");
};

TEST_F(SessionsTest, CreateGetUpdate) {
  const Session s = newSession("interview");
  EXPECT_EQ(s.avatarId, ada.id);
  EXPECT_EQ(s.title, "interview title");
  EXPECT_FALSE(s.deletedAt.has_value());
  SessionUpdate update;
  update.title = "";  // an empty title is allowed
  update.metadata = json{{"lang", "de"}};
  const Session changed = store.sessions().update(s.id, update);
  EXPECT_EQ(changed.title, "");
  EXPECT_EQ(changed.metadata["lang"], "de");
  EXPECT_EQ(changed.kind, "interview");
  EXPECT_EQ(store.sessions().get(s.id).metadata["lang"], "de");
}

TEST_F(SessionsTest, ListFilters) {
  const Avatar bob = store.avatars().create("Bob");
  newSession("interview");
  newSession("rehearsal");
  newSession("interview", bob.id);
  SessionFilter byKind;
  byKind.kind = "interview";
  EXPECT_EQ(store.sessions().list(byKind).size(), 2u);
  SessionFilter byAvatar;
  byAvatar.avatarId = bob.id;
  ASSERT_EQ(store.sessions().list(byAvatar).size(), 1u);
  byKind.avatarId = ada.id;
  EXPECT_EQ(store.sessions().list(byKind).size(), 1u);
  EXPECT_EQ(store.sessions().list().size(), 3u);
}

TEST_F(SessionsTest, SoftDeleteHidesRestoreShowsPurgeRemoves) {
  const Session keep = newSession("interview");
  const Session gone = newSession("interview");

  const Session deleted = store.sessions().softDelete(gone.id);
  ASSERT_TRUE(deleted.deletedAt.has_value());
  // Deleting twice keeps the first time.
  EXPECT_EQ(store.sessions().softDelete(gone.id).deletedAt, deleted.deletedAt);

  std::vector<Session> live = store.sessions().list();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].id, keep.id);
  SessionFilter all;
  all.includeDeleted = true;
  EXPECT_EQ(store.sessions().list(all).size(), 2u);
  EXPECT_EQ(store.sessions().count(), 1);
  EXPECT_EQ(store.sessions().count(true), 2);
  EXPECT_TRUE(store.sessions().get(gone.id).deletedAt.has_value());  // get still finds it
  // A deleted session is read-only until restored.
  SessionUpdate update;
  update.title = "edit";
  EXPECT_EQ(errorOf([&] { store.sessions().update(gone.id, update); }).code(),
            ErrorCode::kNotFound);

  const Session restored = store.sessions().restore(gone.id);
  EXPECT_FALSE(restored.deletedAt.has_value());
  EXPECT_EQ(store.sessions().list().size(), 2u);
  EXPECT_FALSE(store.sessions().restore(gone.id).deletedAt.has_value());  // idempotent

  store.sessions().softDelete(gone.id);
  store.sessions().purge(gone.id);
  EXPECT_EQ(errorOf([&] { store.sessions().get(gone.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.sessions().list(all).size(), 1u);
  store.sessions().purge(keep.id);  // a live session can be purged too
  EXPECT_EQ(store.sessions().count(true), 0);
}

TEST_F(SessionsTest, DeletingTheAvatarCascadesToItsSessions) {
  const Session s = newSession("interview");
  store.sessions().softDelete(newSession("old").id);
  store.avatars().remove(ada.id);
  EXPECT_EQ(errorOf([&] { store.sessions().get(s.id); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.sessions().count(true), 0);
}

TEST_F(EntitiesTest, PresetCrud) {
  const Preset p = store.presets().create("question_set", "Basics", {{"questions", {"Why?"}}});
  EXPECT_EQ(store.presets().get(p.id).data["questions"][0], "Why?");
  store.presets().create("avatar_style", "Basics", json::array({1, 2}));  // same name, other kind
  EXPECT_EQ(errorOf([&] { store.presets().create("question_set", "Basics"); }).code(),
            ErrorCode::kConstraint);
  EXPECT_EQ(errorOf([&] { store.presets().create("", "x"); }).code(), ErrorCode::kInvalidArgument);

  PresetFilter filter;
  filter.kind = "question_set";
  ASSERT_EQ(store.presets().list(filter).size(), 1u);
  EXPECT_EQ(store.presets().list().size(), 2u);

  PresetUpdate update;
  update.name = "Advanced";
  update.data = json("just a string");
  const Preset changed = store.presets().update(p.id, update);
  EXPECT_EQ(changed.name, "Advanced");
  EXPECT_EQ(changed.data, json("just a string"));
  EXPECT_GT(changed.updatedAt, p.updatedAt);

  store.presets().remove(p.id);
  EXPECT_EQ(store.presets().count(), 1);
  EXPECT_EQ(errorOf([&] { store.presets().update(p.id, update); }).code(), ErrorCode::kNotFound);
}

TEST_F(EntitiesTest, ConfigDefaultsOverridesAndValidation) {
  const ConfigEntry initial = store.config().get("assets.maxBytes");
  EXPECT_TRUE(initial.isDefault);
  EXPECT_EQ(initial.value, 10 * 1024 * 1024);
  EXPECT_EQ(store.config().getInt64("text.maxChars"), 5000);

  store.config().set("assets.maxBytes", 4096);
  EXPECT_EQ(store.config().getInt64("assets.maxBytes"), 4096);
  EXPECT_FALSE(store.config().get("assets.maxBytes").isDefault);
  store.config().set("assets.maxBytes", 8192);  // upsert
  EXPECT_EQ(store.config().getInt64("assets.maxBytes"), 8192);

  EXPECT_EQ(errorOf([&] { store.config().set("assets.maxBytes", -1); }).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { store.config().set("text.maxChars", "many"); }).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { store.config().set("", 1); }).code(), ErrorCode::kInvalidArgument);

  store.config().set("ui.theme", {{"dark", true}});  // free-form keys take any JSON
  const std::vector<ConfigEntry> entries = store.config().list();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].key, "assets.maxBytes");
  EXPECT_FALSE(entries[0].isDefault);
  EXPECT_EQ(entries[1].key, "text.maxChars");
  EXPECT_TRUE(entries[1].isDefault);
  EXPECT_EQ(entries[2].value["dark"], true);

  store.config().remove("assets.maxBytes");
  EXPECT_TRUE(store.config().get("assets.maxBytes").isDefault);
  EXPECT_EQ(errorOf([&] { store.config().getInt64("ui.theme"); }).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace avatar_voice::store
