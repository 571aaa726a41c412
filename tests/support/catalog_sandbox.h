// A private catalog file for one test: WS2_CATALOG points into a fresh directory for the test's
// lifetime and is restored afterwards, so tests never see or touch the system catalog.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace ws2test {

class CatalogSandbox {
public:
    CatalogSandbox() {
        if (const char *old = std::getenv("WS2_CATALOG")) saved_ = old;
        std::string templ = (std::filesystem::temp_directory_path() / "ws2-catalog-XXXXXX").string();
        dir_ = mkdtemp(templ.data());
        path_ = (dir_ / "catalog.json").string();
        setenv("WS2_CATALOG", path_.c_str(), 1);
    }
    ~CatalogSandbox() {
        if (saved_) setenv("WS2_CATALOG", saved_->c_str(), 1);
        else unsetenv("WS2_CATALOG");
        std::error_code ignored;
        std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ignored);
        std::filesystem::remove_all(dir_, ignored);
    }
    CatalogSandbox(const CatalogSandbox &) = delete;
    CatalogSandbox &operator=(const CatalogSandbox &) = delete;

    const std::string &path() const { return path_; }
    const std::filesystem::path &dir() const { return dir_; }
    bool exists() const { return std::filesystem::exists(path_); }
    // The file's bytes ("" when absent).
    std::string text() const {
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream all;
        all << in.rdbuf();
        return all.str();
    }
    void write(const std::string &text) const { std::ofstream(path_, std::ios::binary) << text; }

private:
    std::optional<std::string> saved_;
    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace ws2test
