#include <attest/coverage/gcov.hpp>

#include <attest/detail/json_input.hpp>
#include <attest/input_error.hpp>

#include "gcov_format.hpp"
#include "gcov_notes.hpp"
#include "huge_pages.hpp"
#include "notes_cache.hpp"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <map>
#include <memory>
#include <memory_resource>
#include <stdexcept>
#include <unordered_map>

namespace attest::coverage::gcov {
namespace {

using namespace internal;

// Counts of every arc and block from the counted arcs, by flow conservation: a block's count
// is the sum of its arcs in, and of its arcs out; where all but one arc of a known block are
// known, the last is the difference. The spanning tree GCC left uncounted makes the solution
// unique, so the order of the deductions does not matter: a worklist of the blocks that
// changed (gcov's solve_flow_graph), not sweeps over the whole graph until nothing changes —
// solving was two thirds of building a record. One Solver per record built: its vectors are
// kept from function to function (solved once per function per test), not allocated each
// time, nor reached through thread-local storage.
struct Solver {
  std::vector<std::int64_t> arc, block;  // the solution: every arc's and block's count
  void operator()(const Function& f, const std::uint64_t* counters);

 private:
  struct Scratch {
    std::vector<char> arc_known, block_known;
    std::vector<std::uint32_t> unknown_out, unknown_in, work;
    std::vector<std::int64_t> sum_out, sum_in;
  } s;
};

void Solver::operator()(const Function& f, const std::uint64_t* counters) {
  const std::size_t arcs = f.arcs.size(), blocks = f.blocks;
  arc.assign(arcs, 0);
  block.assign(blocks, 0);
  s.arc_known.assign(arcs, 0);
  s.block_known.assign(blocks, 0);
  s.sum_out.assign(blocks, 0);
  s.sum_in.assign(blocks, 0);
  s.unknown_out.resize(blocks);
  s.unknown_in.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    s.unknown_out[b] = static_cast<std::uint32_t>(f.succ[b].size());
    s.unknown_in[b] = static_cast<std::uint32_t>(f.pred[b].size());
  }
  auto learn = [&](std::uint32_t a, std::int64_t value) {
    arc[a] = value;
    s.arc_known[a] = 1;
    const auto& e = f.arcs[a];
    --s.unknown_out[e.src];
    s.sum_out[e.src] += value;
    --s.unknown_in[e.dst];
    s.sum_in[e.dst] += value;
    s.work.push_back(e.src);
    s.work.push_back(e.dst);
  };
  s.work.clear();
  for (std::size_t i = 0; i < f.counted.size(); ++i)
    learn(f.counted[i], static_cast<std::int64_t>(counters[i]));
  for (std::uint32_t b = 0; b < blocks; ++b) s.work.push_back(b);
  while (!s.work.empty()) {
    std::uint32_t b = s.work.back();
    s.work.pop_back();
    if (!s.block_known[b]) {
      if (!f.succ[b].empty() && s.unknown_out[b] == 0) {
        block[b] = s.sum_out[b];
      } else if (!f.pred[b].empty() && s.unknown_in[b] == 0) {
        block[b] = s.sum_in[b];
      } else {
        continue;
      }
      s.block_known[b] = 1;
    }
    if (s.unknown_out[b] == 1)
      for (auto a : f.succ[b])
        if (!s.arc_known[a]) {
          learn(a, block[b] - s.sum_out[b]);
          break;
        }
    if (s.unknown_in[b] == 1)
      for (auto a : f.pred[b])
        if (!s.arc_known[a]) {
          learn(a, block[b] - s.sum_in[b]);
          break;
        }
  }
}

// An object's notes, and the build (stamp, gcov version) of the running object they must be.
struct NotesSlot {
  std::uint32_t stamp = 0, version = 0;
  std::unique_ptr<Notes> notes;
  FileIdentity source;  // the notes file, as found before reading it
};
using NotesByPath = std::map<std::string, NotesSlot>;  // by .gcno path

// Reads the notes of every object of `layout` (the .gcno beside each .gcda), one buffer for
// all, each from its cache when it has a valid one (notes_cache.hpp; a cache is written for
// the next run where one was not). InputError when a .gcno is missing or belongs to another
// build than the running object. On one thread: two (mapped files, malloc's per-thread
// arenas) made the end of a run of attest's unit suite slower, 0.16 s against 0.11 s.
NotesByPath read_all_notes(const Layout& layout, const Filter& filter, detail::Arena& arena) {
  NotesByPath notes;
  for (const auto& object : layout.objects)
    notes.try_emplace(std::filesystem::path(object.gcda).replace_extension(".gcno").string(),
                      NotesSlot{object.stamp, object.version, nullptr, {}});
  auto* memory = arena.resource();
  std::size_t largest = 0;
  for (auto& [path, slot] : notes) {
    auto source = identify(path);  // (what the cache is checked against, asked once)
    if (!source)
      throw InputError({path},
                       "no such file: the notes of an object the binary measures "
                       "(was the build directory moved or cleaned?)");
    slot.source = *source;
    largest = std::max<std::size_t>(largest, source->size);
  }
  Buffer buffer(largest + 1);  // (taken once, when the first file is read)
  std::string scratch;
  for (auto& [path, slot] : notes) {
    slot.notes = std::make_unique<Notes>(
        read_notes_cached(path, slot.source, slot.stamp, filter, buffer, scratch, memory));
    if (slot.notes->stamp != slot.stamp || slot.notes->version != slot.version)
      throw InputError({path},
                       "belongs to another build than the running binary (its stamp "
                       "differs): rebuild the binary");
  }
  arena.adopt(buffer.release());  // (its pages, touched already, for what is built next)
  return notes;
}

// A function of an object, resolved against its notes, with the record entries its blocks
// and branches feed.
struct Resolved {
  explicit Resolved(std::pmr::memory_resource* memory) : lines(memory), branches(memory) {}
  const Function* function = nullptr;
  std::size_t offset = 0;
  std::pmr::vector<LineCoverage*> lines;  // per entry of function->lines (null: a file not kept)
  std::pmr::vector<BranchCoverage*> branches;  // per Function::branches entry
};

}  // namespace

void read_gcda(std::string_view bytes, const std::string& gcda_path, Layout* layout,
               std::vector<std::uint64_t>& values) {
  Reader in(bytes, gcda_path);
  if (in.u32() != gcda_magic) in.fail("not .gcda data");
  ObjectCounters object;
  if (layout) object.gcda = gcda_path;
  // Offsets continue the layout's: `values` may hold this object's counters alone.
  const std::size_t start = values.size();
  const std::size_t base = layout ? layout->size : 0;
  object.version = in.u32();
  object.stamp = in.u32();
  in.u32();  // checksum
  FunctionCounters* current = nullptr;
  while (!in.done()) {
    std::uint32_t tag = in.u32();
    if (tag == 0) break;  // the stream's end mark
    auto length = static_cast<std::int32_t>(in.u32());
    std::size_t body = in.pos();
    if (tag == tag_function) {
      current = nullptr;
      // The layout is read once; later snapshots want the counters only.
      if (layout && length >= 12) {
        object.functions.push_back({in.u32(), in.u32(), in.u32(), base + values.size() - start, 0});
        current = &object.functions.back();
      }
    } else if (tag == tag_arc_counters) {
      // A negative length: that many counters, all zero, not streamed.
      std::size_t n = static_cast<std::size_t>(length < 0 ? -std::int64_t{length} : length) / 8;
      // A test's delta indexes the process's counters with 32 bits; and no function has
      // millions of arcs: a count beyond is a corrupt stream, refused before it is allocated.
      if (n > (std::size_t{1} << 24) || base + values.size() - start + n > UINT32_MAX)
        in.fail("arc counter record of " + std::to_string(n) +
                " counters (more than a function has)");
      if (current) current->count = n;
      if (length < 0) {
        values.insert(values.end(), n, 0);
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) values.push_back(in.u64());
    }
    in.seek(body + static_cast<std::size_t>(length < 0 ? 0 : length));
  }
  if (layout) {
    layout->objects.push_back(std::move(object));
    layout->size = base + values.size() - start;
  }
}

Delta difference(const std::vector<std::uint64_t>& before,
                 const std::vector<std::uint64_t>& after) {
  Delta d;
  std::size_t at = 0;
  add_growth(after.data(), after.size(), before, at, d);
  return d;
}

bool Filter::keeps(const std::string& path) const {
  if (include.empty()) return path.rfind("/usr/", 0) != 0;
  for (const auto& prefix : include) {
    if (path.rfind(prefix, 0) != 0) continue;
    if (path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/')
      return true;
  }
  return false;
}

bool Filter::covers(const Filter& narrower) const {
  if (include.empty()) {  // everything but /usr/: a prefix that reaches into /usr/ is not covered
    if (narrower.include.empty()) return true;
    return std::none_of(narrower.include.begin(), narrower.include.end(), [](const auto& p) {
      return p.rfind("/usr/", 0) == 0 || p == "/usr" || p == "/";
    });
  }
  if (narrower.include.empty()) return false;
  return std::all_of(narrower.include.begin(), narrower.include.end(),
                     [&](const auto& p) { return keeps(p); });
}

struct Mapping::State {
  // The notes' graphs, what points into them and the record's lines and branches: first made,
  // last gone (the record keeps it: Record::memory).
  std::shared_ptr<detail::Arena> arena = std::make_shared<detail::Arena>();
  NotesByPath notes_by_path;
  Record record;  // every kept file's lines, branches and functions, at 0
  std::pmr::vector<Resolved> functions{arena->resource()};  // ascending by offset, into `record`
  std::vector<std::size_t> measured;
  bool built = false;
};

Mapping::Mapping(Mapping&&) noexcept = default;
Mapping::~Mapping() = default;

const std::vector<std::size_t>& Mapping::measured() const { return state_->measured; }

Mapping::Mapping(const Layout& layout, const Filter& filter) : state_(std::make_unique<State>()) {
  auto& notes_by_path = state_->notes_by_path;
  auto& record = state_->record;
  auto& functions = state_->functions;
  notes_by_path = read_all_notes(layout, filter, *state_->arena);
  // A line is named by the blocks of every function that has code on it, in every object that
  // compiled it (a header's inline functions): tens of thousands of names for a few thousand
  // lines. Each is looked up in the record's map once, then by its number in these tables.
  auto* memory = state_->arena->resource();
  struct Dense {
    Dense(FileCoverage* f, std::pmr::memory_resource* m)
        : file(f), lines(m), branches(m), next_number(m), numbered_in(m) {}
    FileCoverage* file;
    std::pmr::vector<LineCoverage*> lines;                         // by line
    std::pmr::vector<std::pmr::vector<BranchCoverage*>> branches;  // by line, then number
    // Branch numbers count up per line within an object, as gcov numbers them: the next number
    // of a line, valid while numbered_in (1 + the object's index) is the object's.
    std::pmr::vector<std::uint32_t> next_number, numbered_in;
  };
  // (a line number no source file has is not given a table entry: looked up in the map)
  constexpr std::uint32_t dense_lines = 1u << 20;
  std::unordered_map<FileCoverage*, Dense> dense;
  auto line_of = [&](Dense& d, std::uint32_t line) {
    if (line >= dense_lines) return &d.file->lines[line];
    if (line >= d.lines.size()) d.lines.resize(std::max<std::size_t>(line + 1, 2 * d.lines.size()));
    auto*& slot = d.lines[line];
    // (functions come in the order they are written, so a new line is mostly the file's last
    // so far: inserted at the end without a search when it is)
    if (!slot) slot = &d.file->lines.try_emplace(d.file->lines.end(), line)->second;
    return slot;
  };
  auto branch_of = [&](Dense& d, std::uint32_t line, std::uint32_t number) {
    if (line >= dense_lines) return &d.file->branches[{line, number}];
    if (line >= d.branches.size())
      d.branches.resize(std::max<std::size_t>(line + 1, 2 * d.branches.size()));
    auto& numbers = d.branches[line];
    if (number >= numbers.size()) numbers.resize(number + 1);
    auto*& slot = numbers[number];
    if (!slot)
      slot = &d.file->branches.try_emplace(d.file->branches.end(), BranchKey{line, number})->second;
    return slot;
  };
  std::uint32_t object_number = 0;
  for (const auto& object : layout.objects) {
    ++object_number;
    std::string gcno = std::filesystem::path(object.gcda).replace_extension(".gcno").string();
    auto& notes = notes_by_path[gcno].notes;  // (of this build: read_all_notes checked it)
    // A kept line's next branch number in this object (in a map beyond the tables' lines).
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> far_numbers;
    auto number_of = [&](Dense& d, const Where& w) {
      if (w.line >= dense_lines) return far_numbers[{w.file, w.line}]++;
      if (w.line >= d.next_number.size()) {
        auto size = std::max<std::size_t>(w.line + 1, 2 * d.next_number.size());
        d.next_number.resize(size);
        d.numbered_in.resize(size);
      }
      if (d.numbered_in[w.line] != object_number) {
        d.numbered_in[w.line] = object_number;
        d.next_number[w.line] = 0;
      }
      return d.next_number[w.line]++;
    };
    std::vector<Dense*> files(notes->files.size(), nullptr);  // null: a file not kept
    for (std::size_t i = 0; i < notes->files.size(); ++i)
      if (notes->kept[i]) {
        auto* file = &record.files.try_emplace(notes->files[i], memory).first->second;
        files[i] = &dense.try_emplace(file, file, memory).first->second;
      }
    std::size_t next = 0;  // (where the next function is looked for first)
    for (const auto& fc : object.functions) {
      const Identity* id = notes->find(fc.ident, next);
      if (!id) continue;
      const Function* graph = id->graph == Identity::skipped ? nullptr : &notes->graphs[id->graph];
      if (id->cfg_checksum != fc.cfg_checksum || id->lineno_checksum != fc.lineno_checksum ||
          (graph && graph->counted.size() != fc.count))
        throw InputError({gcno},
                         "function " +
                             (graph && !graph->name.empty() ? std::string(graph->name)
                                                            : "#" + std::to_string(id->ident)) +
                             " differs from the running binary's: rebuild the binary");
      if (!graph) continue;  // no line the filter keeps
      const Function& fn = *graph;
      Resolved r(memory);
      r.function = &fn;
      r.offset = fc.offset;
      if (fn.artificial) continue;  // gcov leaves compiler-made functions out
      if (fn.first_line && fn.last_line >= fn.first_line && fn.file < files.size() &&
          files[fn.file])
        files[fn.file]->file->functions.emplace(fn.first_line, fn.last_line);
      r.lines.reserve(fn.lines.items.size());
      for (const auto& w : fn.lines.items)
        r.lines.push_back(files[w.file] ? line_of(*files[w.file], w.line) : nullptr);
      for (auto a : fn.branches) {  // (numbered where they are reported: in kept files)
        const auto& last = fn.lines[fn.arcs[a].src].back();
        Dense* d = files[last.file];
        r.branches.push_back(d ? branch_of(*d, last.line, number_of(*d, last)) : nullptr);
      }
      functions.push_back(std::move(r));
    }
  }
  for (const auto& r : functions) state_->measured.push_back(r.offset);
}

Record Mapping::build(const std::vector<std::uint64_t>& totals, std::vector<TestContext> tests,
                      const std::vector<Delta>& deltas) {
  return build([&](std::size_t offset) { return totals.data() + offset; }, std::move(tests),
               deltas);
}

Record Mapping::build(const std::function<const std::uint64_t*(std::size_t)>& totals_at,
                      std::vector<TestContext> tests, const std::vector<Delta>& deltas) {
  if (state_->built) throw std::logic_error("gcov::Mapping::build called twice");
  state_->built = true;
  Record& record = state_->record;
  record.tests = std::move(tests);
  const auto& functions = state_->functions;
  Solver solve;
  const auto& arc = solve.arc;
  const auto& block = solve.block;
  // The whole run: a line's count is the largest of its blocks' within a function (gcov's
  // count for a line with one block; gcov also adds loops within one line), summed over
  // functions and objects.
  std::vector<std::pair<LineCoverage*, std::int64_t>> line_counts;
  for (auto& r : functions) {
    // A function that never ran adds nothing (its lines are in the record already, at 0).
    const auto* first = totals_at(r.offset);
    if (!first ||
        std::all_of(first, first + r.function->counted.size(), [](auto v) { return v == 0; }))
      continue;
    solve(*r.function, first);
    line_counts.clear();
    const auto& begin = r.function->lines.begin;
    for (std::size_t b = 0; b < r.function->blocks; ++b)
      for (auto i = begin[b]; i < begin[b + 1]; ++i)
        if (r.lines[i]) line_counts.emplace_back(r.lines[i], std::max<std::int64_t>(block[b], 0));
    std::sort(line_counts.begin(), line_counts.end());
    for (std::size_t i = 0; i < line_counts.size(); ++i)
      if (i + 1 == line_counts.size() || line_counts[i + 1].first != line_counts[i].first)
        line_counts[i].first->hits += static_cast<std::uint64_t>(line_counts[i].second);
    for (std::size_t i = 0; i < r.branches.size(); ++i)
      if (r.branches[i])
        r.branches[i]->taken +=
            static_cast<std::uint64_t>(std::max<std::int64_t>(arc[r.function->branches[i]], 0));
  }

  // Each test: the functions whose counters it moved, solved with its increases alone.
  const auto& offsets = state_->measured;  // each function's first counter, ascending
  std::vector<std::uint64_t> counters;
  for (std::uint32_t t = 0; t < deltas.size() && t < record.tests.size(); ++t) {
    const auto& delta = deltas[t];
    for (std::size_t i = 0; i < delta.size();) {
      auto pos = std::upper_bound(offsets.begin(), offsets.end(), delta[i].first);
      if (pos == offsets.begin()) {
        ++i;
        continue;
      }
      const auto& r = functions[static_cast<std::size_t>(pos - offsets.begin()) - 1];
      std::size_t count = r.function->counted.size();
      if (delta[i].first >= r.offset + count) {  // an artificial or unknown function's counter
        ++i;
        continue;
      }
      counters.assign(count, 0);
      for (; i < delta.size() && delta[i].first < r.offset + count; ++i)
        counters[delta[i].first - r.offset] = delta[i].second;
      solve(*r.function, counters.data());
      const auto& begin = r.function->lines.begin;
      for (std::size_t b = 0; b < r.function->blocks; ++b)
        if (block[b] > 0)
          for (auto i = begin[b]; i < begin[b + 1]; ++i)
            if (r.lines[i]) add_test(r.lines[i]->tests, t);
      for (std::size_t k = 0; k < r.branches.size(); ++k)
        if (r.branches[k] && arc[r.function->branches[k]] > 0) add_test(r.branches[k]->tests, t);
    }
  }
  // Files the filter kept but whose functions were all left out hold nothing: drop them.
  for (auto it = record.files.begin(); it != record.files.end();)
    it = it->second.lines.empty() && it->second.branches.empty() ? record.files.erase(it)
                                                                 : std::next(it);
  record.memory = state_->arena;  // (where its lines and branches are)
  return std::move(record);
}

void keep_notes_parsed(const Layout& layout, const Filter& filter) {
  detail::Arena arena;
  read_all_notes(layout, filter, arena);
}

Record build_record(const Layout& layout, const std::vector<std::uint64_t>& totals,
                    std::vector<TestContext> tests, const std::vector<Delta>& deltas,
                    const Filter& filter) {
  return Mapping(layout, filter).build(totals, std::move(tests), deltas);
}

}  // namespace attest::coverage::gcov
