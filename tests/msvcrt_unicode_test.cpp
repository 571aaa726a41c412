// The Microsoft C runtime pieces of libws2_32_unicode: wide printf format meanings and _wtoi.
#include <gtest/gtest.h>

#include <cerrno>
#include <climits>

#include "crt/msvcrt_format.h"

extern "C" int _wtoi(const wchar_t *str);

namespace {

TEST(MsvcrtFormat, WidePrintfSpecifiersKeepMicrosoftMeanings) {
    struct {
        const wchar_t *ms, *iso;
    } cases[] = {
        {L"usage: %s <x>\n", L"usage: %ls <x>\n"},
        {L"%ws example", L"%ls example"},
        {L"%ls %hs %S %hS %lS", L"%ls %s %s %s %ls"},
        {L"%c%C%hc%lc%wc", L"%lc%c%c%lc%lc"},
        {L" (0x%x) %d %5.2f %-8s", L" (0x%x) %d %5.2f %-8ls"},
        {L"%I64d %I64u %I32d %Id", L"%lld %llu %d %zd"},
        {L"100%% %ld %lu %hd", L"100%% %ld %lu %hd"},
        {L"%*s|%-*.*s", L"%*ls|%-*.*ls"},
    };
    for (auto &c : cases) EXPECT_EQ(ws2::crt::iso_wide_format(c.ms), c.iso) << c.ms;
}

TEST(MsvcrtFormat, WtoiFollowsAtoi) {
    EXPECT_EQ(_wtoi(L"23"), 23);
    EXPECT_EQ(_wtoi(L"  -2309 "), -2309);
    EXPECT_EQ(_wtoi(L"+17abc"), 17);
    EXPECT_EQ(_wtoi(L"abc"), 0);
    EXPECT_EQ(_wtoi(L""), 0);
    errno = 0;
    EXPECT_EQ(_wtoi(L"3336402735171707160320"), INT_MAX);
    EXPECT_EQ(errno, ERANGE);
    errno = 0;
    EXPECT_EQ(_wtoi(L"-99999999999"), INT_MIN);
    EXPECT_EQ(errno, ERANGE);
    errno = 0;
    EXPECT_EQ(_wtoi(nullptr), 0);
    EXPECT_EQ(errno, EINVAL);
}

}  // namespace
