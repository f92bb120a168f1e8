// Escaping for XML and HTML (attest/markup.hpp), under the name traceability's writers use.
#pragma once

#include <attest/markup.hpp>

namespace attest::trace {

using attest::escape_markup;

}  // namespace attest::trace
