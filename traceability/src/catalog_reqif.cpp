// ReqIF 1.0/1.2 (.reqif, and .reqifz zip archives): the exchange format of
// DOORS, Polarion, Jama, Enterprise Architect, ReqIF Studio and StrictDoc.
// Requirements are SPEC-OBJECTs; which attribute (by its definition's
// LONG-NAME) holds the ID and which the title is attest.json's "reqif" mapping;
// the SPECIFICATION hierarchy gives each one its section. SPEC-OBJECTs whose ID
// does not match the ID pattern (headings, notes) are not requirements.
#include <attest/trace/catalogs.hpp>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <map>
#include <sstream>
#include <unordered_map>

#include "xml_input.hpp"
#include "zip_archive.hpp"

namespace attest::trace {
namespace {

namespace pt = boost::property_tree;

// Tag names without a namespace prefix ("reqif:SPEC-OBJECT" → "SPEC-OBJECT").
std::string_view local(std::string_view tag) {
  auto colon = tag.find(':');
  return colon == std::string_view::npos ? tag : tag.substr(colon + 1);
}

const pt::ptree* child(const pt::ptree& node, std::string_view name) {
  for (const auto& [tag, c] : node)
    if (local(tag) == name) return &c;
  return nullptr;
}

template <typename F>
void each(const pt::ptree& node, std::string_view name, F&& f) {
  for (const auto& [tag, c] : node)
    if (local(tag) == name) f(c);
}

std::string attr(const pt::ptree& node, const char* name) {
  auto a = node.get_child_optional("<xmlattr>");
  return a ? a->get<std::string>(name, "") : std::string();
}

// The text of an XHTML value, block elements separated by spaces.
void xhtml_text(const pt::ptree& node, std::string& out) {
  for (const auto& [tag, c] : node) {
    if (tag == "<xmltext>") {
      out += c.data();
    } else if (tag != "<xmlattr>" && tag != "<xmlcomment>") {
      auto name = local(tag);
      bool block = name == "p" || name == "div" || name == "br" || name == "li" || name == "tr" ||
                   name == "h1" || name == "h2" || name == "h3";
      if (block) out += ' ';
      xhtml_text(c, out);
      if (block) out += ' ';
    }
  }
}

std::string squeeze(const std::string& s);

// An element's text (with no_concat_text, text lives in <xmltext> children).
std::string text_of(const pt::ptree& node) {
  std::string text = node.data();
  xhtml_text(node, text);
  return squeeze(text);
}

std::string squeeze(const std::string& s) {  // whitespace runs to one space, trimmed
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct Object {
  std::string identifier, long_name;
  std::map<std::string, std::string> values;  // attribute LONG-NAME → text
  // By the mapping, once: a requirement when its ID matches the pattern, else a heading.
  std::string id, title;
  bool requirement = false;
};

std::string first_of(const Object& o, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (n == "IDENTIFIER") return o.identifier;
    if (n == "LONG-NAME" && !o.long_name.empty()) return o.long_name;
    if (auto it = o.values.find(n); it != o.values.end() && !it->second.empty()) return it->second;
  }
  return {};
}

std::string shorten_title(std::string s) {
  if (s.size() > 200) s = s.substr(0, 197) + "...";
  return s;
}

// Where each SPEC-OBJECT's IDENTIFIER stands in the text, in one pass (a find per
// object would be quadratic on a large export).
std::unordered_map<std::string, std::size_t> object_lines(std::string_view text) {
  std::unordered_map<std::string, std::size_t> lines;
  std::size_t line = 1, counted = 0;
  for (std::size_t pos = text.find("SPEC-OBJECT "); pos != std::string_view::npos;
       pos = text.find("SPEC-OBJECT ", pos + 1)) {
    if (pos == 0 || (text[pos - 1] != '<' && text[pos - 1] != ':')) continue;
    auto close = text.find('>', pos);
    auto id = text.find("IDENTIFIER=\"", pos);
    if (id == std::string_view::npos || id > close) continue;
    for (; counted < pos; ++counted) line += text[counted] == '\n';
    auto end = text.find('"', id + 12);
    if (end == std::string_view::npos) break;
    lines.emplace(std::string(text.substr(id + 12, end - id - 12)), line);
  }
  return lines;
}

}  // namespace

std::vector<Requirement> read_reqif_catalog(std::string_view data, const std::string& origin,
                                            const CatalogOptions& options) {
  // A .reqifz archive holds one .reqif (and attachments): read that.
  std::string unzipped;
  std::string where = origin;
  if (detail::is_zip(data)) {
    auto member = detail::zip_read_first(data, ".reqif", origin);
    if (!member) throw InputError({origin}, "no .reqif file in this archive");
    unzipped = std::move(member->contents);
    data = unzipped;
    where = origin + "!" + member->name;
  }
  pt::ptree tree = detail::parse_xml(data, where, pt::xml_parser::no_concat_text);
  const pt::ptree* root = child(tree, "REQ-IF");
  const pt::ptree* content = root ? child(*root, "CORE-CONTENT") : nullptr;
  content = content ? child(*content, "REQ-IF-CONTENT") : nullptr;
  if (!content) throw InputError({where}, "not ReqIF (no REQ-IF/CORE-CONTENT/REQ-IF-CONTENT)");

  // Attribute definitions (IDENTIFIER → LONG-NAME) and enumeration values.
  std::unordered_map<std::string, std::string> definitions, enum_values;
  if (const auto* types = child(*content, "SPEC-TYPES"))
    for (const auto& [tag, type] : *types)
      if (const auto* attrs = child(type, "SPEC-ATTRIBUTES"))
        for (const auto& [atag, def] : *attrs)
          if (local(atag).rfind("ATTRIBUTE-DEFINITION-", 0) == 0)
            definitions[attr(def, "IDENTIFIER")] = attr(def, "LONG-NAME");
  if (const auto* datatypes = child(*content, "DATATYPES"))
    for (const auto& [tag, type] : *datatypes)
      if (const auto* values = child(type, "SPECIFIED-VALUES"))
        each(*values, "ENUM-VALUE", [&](const pt::ptree& v) {
          enum_values[attr(v, "IDENTIFIER")] = attr(v, "LONG-NAME");
        });

  auto value_of = [&](std::string_view kind, const pt::ptree& v) {
    if (kind == "ATTRIBUTE-VALUE-XHTML") {
      std::string text;
      if (const auto* the = child(v, "THE-VALUE")) xhtml_text(*the, text);
      return squeeze(text);
    }
    if (kind == "ATTRIBUTE-VALUE-ENUMERATION") {
      std::string text;
      if (const auto* values = child(v, "VALUES"))
        each(*values, "ENUM-VALUE-REF", [&](const pt::ptree& ref) {
          text += (text.empty() ? "" : ", ") + enum_values[text_of(ref)];
        });
      return text;
    }
    std::string text = attr(v, "THE-VALUE");
    if (text.empty())
      if (const auto* the = child(v, "THE-VALUE")) xhtml_text(*the, text);
    return squeeze(text);
  };
  auto definition_of = [&](const pt::ptree& v) {
    if (const auto* def = child(v, "DEFINITION"))
      for (const auto& [tag, ref] : *def)
        if (tag.empty() || tag[0] != '<') return definitions[text_of(ref)];
    return std::string();
  };

  std::unordered_map<std::string, Object> objects;
  std::vector<std::string> order;  // document order, for objects no specification lists
  if (const auto* list = child(*content, "SPEC-OBJECTS"))
    each(*list, "SPEC-OBJECT", [&](const pt::ptree& so) {
      Object o;
      o.identifier = attr(so, "IDENTIFIER");
      o.long_name = attr(so, "LONG-NAME");
      if (const auto* values = child(so, "VALUES"))
        for (const auto& [tag, v] : *values)
          if (local(tag).rfind("ATTRIBUTE-VALUE-", 0) == 0)
            o.values[definition_of(v)] = value_of(local(tag), v);
      o.id = first_of(o, options.reqif.id);
      o.title = first_of(o, options.reqif.title);
      o.requirement = !o.id.empty() && std::regex_match(o.id, options.id_pattern);
      order.push_back(o.identifier);
      objects.emplace(o.identifier, std::move(o));
    });

  auto lines = object_lines(data);
  std::vector<Requirement> out;
  std::unordered_map<std::string, bool> seen;
  auto add = [&](const Object& o, const std::string& section) {
    if (seen[o.identifier]) return;
    seen[o.identifier] = true;
    if (!o.requirement) return;
    Requirement r;
    r.bare_id = o.id;
    r.feature = options.feature;
    r.id = options.feature.empty() ? o.id : options.feature + "/" + o.id;
    r.title = shorten_title(o.title);
    r.section = section;
    r.where = {where, lines.count(o.identifier) ? lines[o.identifier] : 0};
    r.unclear =
        first_of(o, {"ReqIF.Text", "Text"}).find("[NEEDS CLARIFICATION") != std::string::npos;
    out.push_back(std::move(r));
  };
  // The specifications' hierarchy: each object's section is the path of headings above it.
  std::function<void(const pt::ptree&, const std::string&)> walk = [&](const pt::ptree& children,
                                                                       const std::string& section) {
    each(children, "SPEC-HIERARCHY", [&](const pt::ptree& h) {
      std::string ref;
      if (const auto* object = child(h, "OBJECT"))
        if (const auto* r = child(*object, "SPEC-OBJECT-REF")) ref = text_of(*r);
      auto it = objects.find(ref);
      std::string inner = section;
      if (it != objects.end()) {
        const auto& o = it->second;
        add(o, section);
        if (!o.title.empty() && !o.requirement)
          inner = section.empty() ? o.title : section + " / " + o.title;
      }
      if (const auto* below = child(h, "CHILDREN")) walk(*below, inner);
    });
  };
  if (const auto* specs = child(*content, "SPECIFICATIONS"))
    each(*specs, "SPECIFICATION", [&](const pt::ptree& spec) {
      std::string name = attr(spec, "LONG-NAME");
      if (const auto* children = child(spec, "CHILDREN")) walk(*children, squeeze(name));
    });
  for (const auto& id : order) add(objects[id], {});  // in no specification
  return out;
}

}  // namespace attest::trace
