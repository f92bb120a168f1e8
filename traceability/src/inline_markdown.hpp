// Requirement titles carry spec-kit's inline Markdown (`code`, *emphasis*,
// **strong**): rendered for the HTML report, and safely — everything else is
// escaped, and no link or raw HTML from a catalog reaches the page.
#pragma once

#include <string>
#include <string_view>

namespace attest::trace::detail {

/// HTML for `text`: `code`, **strong**/__strong__, *em*/_em_ become elements; an
/// unmatched marker stays as it is; all other characters are escaped.
std::string inline_markdown_html(std::string_view text);

}  // namespace attest::trace::detail
