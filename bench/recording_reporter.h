// A Google Benchmark console reporter that also records each benchmark's real time per
// iteration, so a benchmark program can print ws2/raw ratios at the end. Shared by the bench
// programs.
#pragma once
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace ws2_bench {

// What the reporter saw of one benchmark.
struct Measured {
  std::vector<double> iteration_ns;  // real time per iteration of each (non-aggregate) run
  double median_ns = -1.0;           // the "median" aggregate, when repetitions produced one
  std::string error;                 // non-empty when the benchmark was skipped with an error
};

// The normal console output, plus a record of each run's real time per iteration.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  explicit RecordingReporter(OutputOptions opts) : benchmark::ConsoleReporter(opts) {}

  void ReportRuns(const std::vector<Run> &reports) override {
    benchmark::ConsoleReporter::ReportRuns(reports);
    for (const Run &run : reports) {
      Measured &m = results_[run.run_name.function_name];
      if (run.error_occurred) {
        m.error = run.error_message;
        continue;
      }
      const double ns =
          run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median" && run.aggregate_unit == benchmark::kTime)
          m.median_ns = ns;
      } else {
        m.iteration_ns.push_back(ns);
      }
    }
  }

  // Real ns per iteration of a benchmark: the median aggregate if there is one, else the median
  // of the runs seen (a single run without repetitions). Negative if unavailable.
  double time_ns(const std::string &name, std::string *why) const {
    auto it = results_.find(name);
    if (it == results_.end()) {
      *why = "not run";
      return -1.0;
    }
    const Measured &m = it->second;
    if (!m.error.empty()) {
      *why = "error: " + m.error;
      return -1.0;
    }
    if (m.median_ns >= 0.0) return m.median_ns;
    if (m.iteration_ns.empty()) {
      *why = "no timing";
      return -1.0;
    }
    std::vector<double> v = m.iteration_ns;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

 private:
  std::map<std::string, Measured> results_;
};

}  // namespace ws2_bench
