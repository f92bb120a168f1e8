#pragma once

#include <iosfwd>

#include <attest/trace/gate.hpp>

namespace attest::trace {

void render_text(std::ostream& out, const Report& report);
void render_json(std::ostream& out, const Report& report);
void render_markdown(std::ostream& out, const Report& report);
void render_html(std::ostream& out, const Report& report);
void render_github(std::ostream& out, const Report& report);

}  // namespace attest::trace
