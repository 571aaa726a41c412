// The main() shared by the ws2-against-raw benchmark programs: defaults for noisy machines
// (default_arguments.h), WSAStartup for the ws2 side, the recording console reporter, and the
// program's own ratio summary at the end.
#pragma once
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <winsock2.h>

#include <cstdio>
#include <string>
#include <vector>

#include "default_arguments.h"
#include "recording_reporter.h"

namespace ws2_bench {

// Runs the registered benchmarks. *wsa_startup_result receives WSAStartup's answer before any
// benchmark runs (the ws2 benchmarks refuse to run without it). The exit status reports only a
// failure to run: the targets in the summary are informational.
template <class Summary>
int run_comparison(int argc, char **argv, int *wsa_startup_result, Summary print_summary) {
  std::vector<std::string> default_storage;
  std::vector<char *> args = with_default_arguments(argc, argv, &default_storage);
  int arg_count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&arg_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(arg_count, args.data())) return 1;

  WSADATA wsa_data;
  *wsa_startup_result = WSAStartup(MAKEWORD(2, 2), &wsa_data);
  if (*wsa_startup_result != 0)
    std::fprintf(stderr, "WSAStartup(MAKEWORD(2,2)) failed: %d\n", *wsa_startup_result);

  RecordingReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                                                   : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::fflush(stdout);
  print_summary(reporter);

  if (*wsa_startup_result == 0) WSACleanup();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ws2_bench
