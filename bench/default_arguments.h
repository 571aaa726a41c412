// Default Google Benchmark arguments for the ws2-versus-raw comparisons. This machine class is
// noisy (shared cores, preemption), and a ratio of two single runs taken minutes apart says more
// about the neighbours than about ws2. Unless the caller chooses otherwise, each benchmark runs
// as several short repetitions interleaved at random with the others, and the summary compares
// medians, so slow periods hit both sides of a ratio alike.
#pragma once
#include <cstring>
#include <string>
#include <vector>

namespace ws2_bench {

// argv plus the defaults for every option the caller did not give. The returned strings must
// outlive the returned pointers: keep `storage` alive.
inline std::vector<char *> with_default_arguments(int argc, char **argv,
                                                  std::vector<std::string> *storage) {
  const char *defaults[][2] = {
      {"--benchmark_repetitions", "--benchmark_repetitions=15"},
      {"--benchmark_enable_random_interleaving", "--benchmark_enable_random_interleaving=true"},
      {"--benchmark_min_time", "--benchmark_min_time=0.1"},
      {"--benchmark_display_aggregates_only", "--benchmark_display_aggregates_only=true"},
  };
  std::vector<char *> args(argv, argv + argc);
  for (const auto &d : defaults) {
    bool given = false;
    for (int i = 1; i < argc; ++i)
      if (std::strncmp(argv[i], d[0], std::strlen(d[0])) == 0) given = true;
    if (!given) storage->push_back(d[1]);
  }
  for (std::string &s : *storage) args.push_back(s.data());
  args.push_back(nullptr);
  return args;
}

}  // namespace ws2_bench
