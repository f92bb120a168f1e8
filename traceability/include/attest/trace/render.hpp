// Renderers of a gate Report: text (default), json, markdown, html, github.
// One file per format under src/render_*.cpp, sharing the selection helpers below.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <attest/trace/gate.hpp>

namespace attest::trace {

/// A report format: its name (--format NAME), a one-line summary, and the renderer.
struct Renderer {
  const char* name;
  const char* summary;
  void (*render)(std::ostream& out, const Report& report);
};

/// Every format, in the order --help lists them (the table in render.cpp).
const std::vector<Renderer>& renderers();

/// The format names, in the same order.
const std::vector<std::string>& formats();

/// Writes `report` as `format`; throws std::invalid_argument naming the formats for an unknown one.
void render(const std::string& format, std::ostream& out, const Report& report);

/// Requirements that do not count as covered (uncovered, or not verified with --require-passing).
std::vector<const RequirementRow*> uncovered(const Report& report);

}  // namespace attest::trace
