#include "win32/wide_string.h"

#include <iconv.h>

#include <cerrno>
#include <vector>

namespace ws2::win32 {
namespace {

// Runs one whole conversion with glibc's iconv; false on an invalid sequence.
bool convert(const char *to, const char *from, const char *in, std::size_t in_len,
             std::vector<char> *out) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    out->assign(in_len * 4 + 16, '\0');
    char *src = const_cast<char *>(in);
    char *dst = out->data();
    std::size_t src_left = in_len, dst_left = out->size();
    std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return false;
    out->resize(out->size() - dst_left);
    return true;
}

}  // namespace

std::string to_utf8(std::wstring_view text) {
    std::vector<char> out;
    if (!convert("UTF-8", "WCHAR_T", reinterpret_cast<const char *>(text.data()),
                 text.size() * sizeof(wchar_t), &out))
        return {};
    return std::string(out.begin(), out.end());
}

std::optional<std::wstring> from_utf8(std::string_view text) {
    std::vector<char> out;
    if (!convert("WCHAR_T", "UTF-8", text.data(), text.size(), &out)) return std::nullopt;
    return std::wstring(reinterpret_cast<const wchar_t *>(out.data()), out.size() / sizeof(wchar_t));
}

}  // namespace ws2::win32
