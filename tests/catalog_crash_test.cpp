// The catalog file under crashes and contention. A writer process is killed (SIGKILL) at random
// points while it installs or removes a provider; afterwards every reader must find exactly the
// old catalog or exactly the new one, never a torn or damaged file, and the next writer must not
// be blocked by what the dead one left (its lock, its temp file). Several writers at once must
// all succeed without losing one another's changes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_changes.h"
#include "catalog/catalog_file.h"
#include "support/catalog_sandbox.h"
#include "support/child_process.h"
#include "support/crash_catalog_entries.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2;
using ws2test::CatalogSandbox;

constexpr unsigned kEntriesPerProvider = 40;  // about 40 KB of JSON per provider

// The catalog a reader sees in `text`: the built-in one for a missing file.
std::optional<catalog::Catalog> read_catalog(const CatalogSandbox &sandbox, std::string *problem) {
    if (!sandbox.exists()) return catalog::builtin_catalog();
    return catalog::parse_catalog(sandbox.text(), problem);
}

std::string canonical(const catalog::Catalog &c) { return catalog::serialize_catalog(c); }

TEST(CatalogCrash, AWriterKilledAnywhereLeavesTheOldOrTheNewCatalog) {
    CatalogSandbox sandbox;
    std::mt19937 random(20261121);
    std::set<unsigned> installed;
    unsigned next_provider = 1;
    int finished = 0, killed = 0, killed_mid_write = 0, saw_new_after_kill = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int iterations = 0;

    for (; iterations < 400 && std::chrono::steady_clock::now() < deadline; ++iterations) {
        std::string problem;
        std::optional<catalog::Catalog> before = read_catalog(sandbox, &problem);
        ASSERT_TRUE(before) << "iteration " << iterations << ": " << problem;

        // The change the writer makes, applied to a copy: what a completed write holds.
        catalog::Catalog after = *before;
        std::vector<std::string> args;
        unsigned target = 0;
        bool install = installed.size() < 4 || random() % 3 != 0;
        if (install) {
            target = next_provider++;
            args = {"install", std::to_string(target), "1", std::to_string(kEntriesPerProvider)};
            ASSERT_EQ(catalog::install_entries(after, ws2test::crash_provider(target), ws2test::kCrashProviderPath,
                                               ws2test::crash_entries(target, kEntriesPerProvider)),
                      0);
        } else {
            auto it = installed.begin();
            std::advance(it, random() % installed.size());
            target = *it;
            args = {"remove", std::to_string(target)};
            ASSERT_EQ(catalog::remove_provider(after, ws2test::crash_provider(target)), 0);
        }
        ++after.serial;

        ws2test::ChildProcess child = ws2test::spawn_child(WS2_CATALOG_WRITER_CHILD, args);
        ASSERT_GT(child.pid, 0);
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 10000));
        ws2test::kill_child(child);
        int status = ws2test::wait_child(child);
        ASSERT_TRUE(status == 0 || status == 128 + 9) << "writer status " << status;
        if (status == 0) ++finished;
        else ++killed;
        if (status != 0 && std::filesystem::exists(sandbox.path() + ".tmp")) ++killed_mid_write;

        // Every reader: the library's parser, and the public API in this process.
        std::optional<catalog::Catalog> seen = read_catalog(sandbox, &problem);
        ASSERT_TRUE(seen) << "iteration " << iterations << ": a reader found a damaged file: " << problem;
        std::string text = canonical(*seen);
        bool is_old = text == canonical(*before), is_new = text == canonical(after);
        ASSERT_TRUE(is_old || is_new) << "iteration " << iterations << ": neither the old nor the new catalog";
        if (status == 0) {
            ASSERT_TRUE(is_new) << "a writer that finished lost its change";
        }
        EXPECT_EQ(ws2test::wsc_enum_protocols().size(), seen->entries.size());
        if (is_new) {
            if (status != 0) ++saw_new_after_kill;
            if (install) installed.insert(target);
            else installed.erase(target);
        }
    }
    std::printf("[ crash    ] %d writers: %d finished, %d killed (%d with a temp file there, %d after "
                "their rename)\n",
                iterations, finished, killed, killed_mid_write, saw_new_after_kill);

    // Whatever the last killed writer left behind, the next writer goes through.
    ws2test::ChildProcess last = ws2test::spawn_child(
        WS2_CATALOG_WRITER_CHILD, {"install", std::to_string(next_provider), "1", "1"});
    EXPECT_EQ(ws2test::wait_child(last), 0);
    EXPECT_FALSE(std::filesystem::exists(sandbox.path() + ".tmp")) << "a completed write leaves no temp file";
    std::string problem;
    EXPECT_TRUE(read_catalog(sandbox, &problem)) << problem;
}

TEST(CatalogCrash, ConcurrentWritersAllSucceedAndNoneIsLost) {
    CatalogSandbox sandbox;
    constexpr unsigned kWriters = 4, kProvidersEach = 5, kEntries = 3;
    std::vector<ws2test::ChildProcess> writers;
    for (unsigned w = 0; w < kWriters; ++w)
        writers.push_back(ws2test::spawn_child(
            WS2_CATALOG_WRITER_CHILD, {"install", std::to_string(100 + w * kProvidersEach),
                                       std::to_string(kProvidersEach), std::to_string(kEntries)}));
    for (ws2test::ChildProcess &w : writers) EXPECT_EQ(ws2test::wait_child(w), 0);

    std::string problem;
    std::optional<catalog::Catalog> c = read_catalog(sandbox, &problem);
    ASSERT_TRUE(c) << problem;
    constexpr unsigned kInstalled = kWriters * kProvidersEach * kEntries;
    EXPECT_EQ(c->entries.size(), 7 + kInstalled);
    EXPECT_EQ(c->next_catalog_entry_id, 1008 + kInstalled);
    EXPECT_EQ(c->serial, kWriters * kProvidersEach);
    std::set<DWORD> ids;
    for (const catalog::Entry &e : c->entries) EXPECT_TRUE(ids.insert(e.id()).second) << "id " << e.id() << " twice";
    for (unsigned n = 100; n < 100 + kWriters * kProvidersEach; ++n) {
        GUID id = ws2test::crash_provider(n);
        EXPECT_EQ(std::count_if(c->entries.begin(), c->entries.end(),
                                [&](const catalog::Entry &e) { return catalog::guid_equal(e.info.ProviderId, id); }),
                  static_cast<long>(kEntries))
            << "provider " << n;
    }
}

}  // namespace
