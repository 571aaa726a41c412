// main() for programs that define wmain (linked from libws2_32_unicode): converts the
// command line to wide strings in the user's locale and calls wmain, as the Windows CRT does.
#include <clocale>
#include <cstdlib>
#include <cwchar>
#include <string>
#include <vector>

extern "C" int wmain(int argc, wchar_t **argv);

int main(int argc, char **argv) {
    std::setlocale(LC_CTYPE, "");
    std::vector<std::wstring> args;
    args.reserve(static_cast<std::size_t>(argc));
    for (int i = 0; i < argc; ++i) {
        std::mbstate_t state{};
        const char *src = argv[i];
        std::size_t n = std::mbsrtowcs(nullptr, &src, 0, &state);
        std::wstring w;
        if (n == static_cast<std::size_t>(-1)) {
            for (const char *p = argv[i]; *p; ++p) w += static_cast<wchar_t>(static_cast<unsigned char>(*p));
        } else {
            w.resize(n);
            src = argv[i];
            state = std::mbstate_t{};
            std::mbsrtowcs(w.data(), &src, n, &state);
        }
        args.push_back(std::move(w));
    }
    std::vector<wchar_t *> wargv;
    for (auto &a : args) wargv.push_back(a.data());
    wargv.push_back(nullptr);
    return wmain(argc, wargv.data());
}
