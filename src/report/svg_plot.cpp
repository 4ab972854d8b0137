#include "report/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace logreg::report {

namespace {

// Tableau's ten colours, with black for its grey (grey is for the muted series).
constexpr const char* palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                   "#8c564b", "#e377c2", "#000000", "#bcbd22", "#17becf"};
constexpr int palette_size = 10;
constexpr const char* font = "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\"";
constexpr std::size_t legend_chars = 34;  // longer legend texts are shortened with an ellipsis

std::string num(double x) {  // a coordinate: one decimal, no "-0.0"
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  std::string s = buf;
  if (s == "-0.0") s = "0.0";
  return s;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point (or -1 when invalid) and advances i.
long decode_utf8(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  long cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) len = 2, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) len = 3, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) len = 4, cp = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return -1;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  return cp;
}

void append_utf8(std::string& out, long cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Code points (for width estimates and shortening).
std::vector<long> code_points(std::string_view s) {
  std::vector<long> cps;
  for (std::size_t i = 0; i < s.size();) cps.push_back(decode_utf8(s, i));
  return cps;
}

double text_width(std::string_view s, double size) { return 0.6 * size * static_cast<double>(code_points(s).size()); }

// At most `max` characters, the end replaced by an ellipsis when shortened (on code points).
std::string shorten(std::string_view s, std::size_t max) {
  const std::vector<long> cps = code_points(s);
  if (cps.size() <= max) return std::string(s);
  std::string out;
  for (std::size_t k = 0; k + 1 < max; ++k) append_utf8(out, cps[k] < 0 ? 0xFFFD : cps[k]);
  append_utf8(out, 0x2026);
  return out;
}

struct scale {
  double lo, hi;  // the drawn range, in axis units (log10 of the value on a log axis)
  double p0, p1;  // pixels of lo and hi
  bool log;
  double operator()(double v) const {
    const double t = log ? std::log10(v) : v;
    return p0 + (t - lo) / (hi - lo) * (p1 - p0);
  }
};

struct tick {
  double value;  // data units
  std::string label;
  bool power = false;  // label is the exponent of 10^k
};

struct axis_layout {
  double lo, hi;  // drawn range in axis units
  std::vector<tick> ticks;
  std::vector<double> minor;  // a log axis with a tick per decade: 2, 3, ... 9 times the powers of ten
};

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

axis_layout layout_axis(const plot_axis& a, double data_lo, double data_hi) {
  axis_layout out;
  if (a.fixed && a.min < a.max && usable(a.min, a.log10) && usable(a.max, a.log10)) {
    data_lo = a.min;
    data_hi = a.max;
  }
  if (!(data_lo <= data_hi)) data_lo = a.log10 ? 0.1 : 0, data_hi = a.log10 ? 10 : 1;  // no data
  if (a.log10) {
    double lo = std::log10(data_lo), hi = std::log10(data_hi);
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    const double pad = 0.04 * (hi - lo);
    out.lo = lo - pad;
    out.hi = hi + pad;
    std::vector<int> decades = decade_ticks(std::pow(10.0, out.lo), std::pow(10.0, out.hi));
    if (decades.size() >= 2) {
      for (int k : decades) out.ticks.push_back({std::pow(10.0, k), std::to_string(k), true});
      if (decades[1] - decades[0] == 1)
        for (int k = static_cast<int>(std::floor(out.lo)); k <= static_cast<int>(std::ceil(out.hi)); ++k)
          for (int m = 2; m <= 9; ++m) {
            const double v = m * std::pow(10.0, k);
            if (std::log10(v) >= out.lo && std::log10(v) <= out.hi) out.minor.push_back(v);
          }
    } else {  // less than about a decade: 1, 2, 5 times powers of ten, or plain nice ticks
      std::vector<double> vals;
      for (int k = static_cast<int>(std::floor(out.lo)) - 1; k <= static_cast<int>(std::ceil(out.hi)); ++k)
        for (double m : {1.0, 2.0, 5.0}) {
          const double v = m * std::pow(10.0, k), t = std::log10(v);
          if (t >= out.lo - 1e-12 && t <= out.hi + 1e-12) vals.push_back(v);
        }
      if (vals.size() < 3) {
        vals.clear();
        for (double v : nice_ticks(std::pow(10.0, out.lo), std::pow(10.0, out.hi), 4))
          if (v > 0 && std::log10(v) >= out.lo && std::log10(v) <= out.hi) vals.push_back(v);
      }
      for (double v : vals) out.ticks.push_back({v, short_number(v, 3)});
    }
    return out;
  }
  double lo = data_lo, hi = data_hi;
  if (hi - lo <= std::fabs(hi) * 1e-12) {
    const double w = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= w;
    hi += w;
  }
  if (a.fixed) {  // ticks inside the range; a small margin so that curves on the edge stay visible
    const std::vector<double> t = nice_ticks(lo, hi, 6);
    const double step = t.size() > 1 ? t[1] - t[0] : hi - lo;
    for (double v : t)
      if (v >= lo - 1e-9 * step && v <= hi + 1e-9 * step) out.ticks.push_back({v, tick_label(v, step)});
    const double pad = 0.02 * (hi - lo);
    out.lo = lo - pad;
    out.hi = hi + pad;
    return out;
  }
  // The data's range and a margin of 4% (no space wasted up to the next round number); the ticks inside.
  const double pad = 0.04 * (hi - lo);
  out.lo = lo - pad;
  out.hi = hi + pad;
  const std::vector<double> t = nice_ticks(out.lo, out.hi, 6);
  const double step = t.size() > 1 ? t[1] - t[0] : hi - lo;
  for (double v : t)
    if (v >= out.lo && v <= out.hi) out.ticks.push_back({v, tick_label(v, step)});
  return out;
}

// Where labels go: the candidate box that covers the fewest drawn data points.
struct box {
  double x0, y0, x1, y1;
};
std::size_t covered(const std::vector<std::pair<double, double>>& points, const box& b) {
  std::size_t n = 0;
  for (const auto& [x, y] : points) n += x >= b.x0 - 3 && x <= b.x1 + 3 && y >= b.y0 - 3 && y <= b.y1 + 3;
  return n;
}

struct legend_entry {
  std::string text;
  std::string color;
  bool line = true, dashed = false, markers = false;
  bool note = false;  // text only
};

std::string series_color(const plot_series& s, int index) {
  if (s.muted) return "#c4c4c4";
  const int c = s.color >= 0 ? s.color : index;
  return palette[c % palette_size];
}

// A dash pattern distinguishes the colours of series 10-19, 20-29, ... from the first ten.
std::string dash_for(const plot_series& s, int index) {
  if (s.dashed) return "7,4";
  if (s.muted) return "";
  const int c = s.color >= 0 ? s.color : index;
  switch ((c / palette_size) % 3) {
    case 1: return "2,3";
    case 2: return "9,3,2,3";
    default: return "";
  }
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const long cp = decode_utf8(text, i);
    if (cp < 0) {
      append_utf8(out, 0xFFFD);
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': case '\n': case '\r': out.push_back(' '); break;
      default:
        if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) break;  // not allowed (or invisible) in XML text
        append_utf8(out, cp);
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  target = std::max(target, 2);
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  // Of 1, 2, 5 and 10 times the magnitude: the step whose number of intervals is nearest the target.
  double step = mag, best = std::numeric_limits<double>::infinity();
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    const double miss = std::fabs((hi - lo) / (m * mag) - target);
    if (miss < best - 1e-9) best = miss, step = m * mag;
  }
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  for (double k = first; k <= last + 0.5; k += 1) {
    double v = k * step;
    if (std::fabs(v) < step * 1e-9) v = 0;
    ticks.push_back(v);
  }
  return ticks;
}

std::vector<int> decade_ticks(double lo, double hi, int max_ticks) {
  const int a = static_cast<int>(std::ceil(std::log10(lo) - 1e-9)), b = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  if (b < a) return {};
  int every = 1;
  for (int m : {1, 2, 5, 10, 20, 50, 100}) {
    every = m;
    if ((b - a) / m + 1 <= max_ticks) break;
  }
  std::vector<int> out;
  for (int k = a; k <= b; ++k)
    if (((k % every) + every) % every == 0) out.push_back(k);
  return out;
}

std::string tick_label(double value, double step) {
  if (std::fabs(value) < std::fabs(step) * 1e-9) value = 0;
  char buf[48];
  const double big = std::max(std::fabs(value), std::fabs(step));
  if (big >= 1e6 || std::fabs(step) < 1e-5) {
    std::snprintf(buf, sizeof buf, "%.3g", value);
  } else {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(std::fabs(step)) - 1e-9)));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  std::string s = buf;
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string short_number(double value, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  return buf;
}

std::string render_svg(const plot& p) {
  const double W = p.width, H = p.height;

  // ---- data ranges ----
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  auto take_x = [&](double v) {
    if (usable(v, p.x.log10)) xlo = std::min(xlo, v), xhi = std::max(xhi, v);
  };
  auto take_y = [&](double v) {
    if (usable(v, p.y.log10)) ylo = std::min(ylo, v), yhi = std::max(yhi, v);
  };
  for (const plot_series& s : p.series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!usable(s.x[i], p.x.log10) || !usable(s.y[i], p.y.log10)) continue;
      take_x(s.x[i]);
      take_y(s.y[i]);
      if (i < s.error.size() && std::isfinite(s.error[i])) {
        take_y(s.y[i] - s.error[i]);
        take_y(s.y[i] + s.error[i]);
      }
    }
  for (const plot_vline& v : p.vlines) take_x(v.x);
  for (const plot_hline& h : p.hlines) take_y(h.y);
  const axis_layout ax = layout_axis(p.x, xlo, xhi), ay = layout_axis(p.y, ylo, yhi);

  // ---- legend entries ----
  std::vector<legend_entry> legend;
  for (std::size_t k = 0; k < p.series.size(); ++k) {
    const plot_series& s = p.series[k];
    if (s.name.empty() || s.muted) continue;
    legend.push_back({shorten(s.name, legend_chars), series_color(s, static_cast<int>(k)), s.line,
                      !dash_for(s, static_cast<int>(k)).empty(), s.markers});
  }
  if (p.diagonal && !p.diagonal_name.empty()) legend.push_back({shorten(p.diagonal_name, legend_chars), "#888888", true, true, false});
  if (!p.legend_note.empty()) legend.push_back({shorten(p.legend_note, legend_chars), "", false, false, false, true});

  // ---- layout ----
  const double title_size = 18, sub_size = 13, tick_size = 12, label_size = 14, legend_size = 13;
  double top = 14;
  if (!p.title.empty()) top += 24;
  if (!p.subtitle.empty()) top += 19;
  top += 16;
  double ytick_w = 0;
  for (const tick& t : ay.ticks) ytick_w = std::max(ytick_w, t.power ? text_width("10", tick_size) + text_width(t.label, 10) : text_width(t.label, tick_size));
  const double left = 16 + (p.y.label.empty() ? 0 : label_size + 10) + ytick_w + 8;
  double legend_w = 0;
  for (const legend_entry& e : legend) legend_w = std::max(legend_w, (e.note ? 0 : 30) + text_width(e.text, legend_size));
  const double right = legend.empty() ? 24 : legend_w + 40;
  const double bottom = 16 + tick_size + 8 + (p.x.label.empty() ? 0 : label_size + 12) + 6;
  const double pl = left, pr = W - right, pt = top, pb = H - bottom;
  const scale sx{ax.lo, ax.hi, pl, pr, p.x.log10}, sy{ay.lo, ay.hi, pb, pt, p.y.log10};

  std::string o;
  o.reserve(1 << 16);
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(W).substr(0, num(W).size() - 2) + "\" height=\"" +
       num(H).substr(0, num(H).size() - 2) + "\" viewBox=\"0 0 " + num(W) + " " + num(H) + "\" " + font + ">\n";
  if (!p.title.empty()) o += "<title>" + xml_escape(p.title) + "</title>\n";
  o += "<rect x=\"0\" y=\"0\" width=\"" + num(W) + "\" height=\"" + num(H) + "\" fill=\"#ffffff\"/>\n";
  o += "<defs><clipPath id=\"plot-area\"><rect x=\"" + num(pl) + "\" y=\"" + num(pt) + "\" width=\"" + num(pr - pl) +
       "\" height=\"" + num(pb - pt) + "\"/></clipPath></defs>\n";

  // title
  double ty = 14;
  if (!p.title.empty()) {
    ty += 20;
    const std::string title = shorten(p.title, static_cast<std::size_t>(std::max(10.0, (W - 20) / (0.62 * title_size))));
    o += "<text x=\"" + num(W / 2) + "\" y=\"" + num(ty) + "\" text-anchor=\"middle\" font-size=\"" + num(title_size) +
         "\" font-weight=\"bold\" fill=\"#222222\">" + xml_escape(title) + "</text>\n";
  }
  if (!p.subtitle.empty()) {  // shortened to the width
    ty += 19;
    const std::string subtitle = shorten(p.subtitle, static_cast<std::size_t>(std::max(10.0, (W - 20) / (0.6 * sub_size))));
    o += "<text x=\"" + num(W / 2) + "\" y=\"" + num(ty) + "\" text-anchor=\"middle\" font-size=\"" + num(sub_size) +
         "\" fill=\"#555555\">" + xml_escape(subtitle) + "</text>\n";
  }

  // grid and ticks
  o += "<g class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\">\n";
  for (const tick& t : ax.ticks) o += "<line x1=\"" + num(sx(t.value)) + "\" y1=\"" + num(pt) + "\" x2=\"" + num(sx(t.value)) + "\" y2=\"" + num(pb) + "\"/>\n";
  for (const tick& t : ay.ticks) o += "<line x1=\"" + num(pl) + "\" y1=\"" + num(sy(t.value)) + "\" x2=\"" + num(pr) + "\" y2=\"" + num(sy(t.value)) + "\"/>\n";
  o += "</g>\n";
  o += "<g class=\"ticks\" font-size=\"" + num(tick_size) + "\" fill=\"#333333\">\n";
  auto tick_text = [&](const tick& t) {
    if (!t.power) return xml_escape(t.label);
    std::string e = t.label;
    if (!e.empty() && e[0] == '-') e = "\xE2\x88\x92" + e.substr(1);  // a real minus sign
    return "10<tspan dy=\"-6\" font-size=\"10\">" + e + "</tspan>";
  };
  for (const tick& t : ax.ticks) {
    o += "<line x1=\"" + num(sx(t.value)) + "\" y1=\"" + num(pb) + "\" x2=\"" + num(sx(t.value)) + "\" y2=\"" + num(pb + 5) + "\" stroke=\"#444444\"/>";
    o += "<text x=\"" + num(sx(t.value)) + "\" y=\"" + num(pb + 8 + tick_size) + "\" text-anchor=\"middle\">" + tick_text(t) + "</text>\n";
  }
  for (double v : ax.minor)
    o += "<line x1=\"" + num(sx(v)) + "\" y1=\"" + num(pb) + "\" x2=\"" + num(sx(v)) + "\" y2=\"" + num(pb + 3) + "\" stroke=\"#888888\"/>\n";
  for (double v : ay.minor)
    o += "<line x1=\"" + num(pl - 3) + "\" y1=\"" + num(sy(v)) + "\" x2=\"" + num(pl) + "\" y2=\"" + num(sy(v)) + "\" stroke=\"#888888\"/>\n";
  for (const tick& t : ay.ticks) {
    o += "<line x1=\"" + num(pl - 5) + "\" y1=\"" + num(sy(t.value)) + "\" x2=\"" + num(pl) + "\" y2=\"" + num(sy(t.value)) + "\" stroke=\"#444444\"/>";
    o += "<text x=\"" + num(pl - 8) + "\" y=\"" + num(sy(t.value) + 4) + "\" text-anchor=\"end\">" + tick_text(t) + "</text>\n";
  }
  o += "</g>\n";

  // axis labels
  if (!p.x.label.empty())
    o += "<text x=\"" + num((pl + pr) / 2) + "\" y=\"" + num(H - 14) + "\" text-anchor=\"middle\" font-size=\"" + num(label_size) +
         "\" fill=\"#222222\">" + xml_escape(p.x.label) + "</text>\n";
  if (!p.y.label.empty()) {
    const double x = 16 + label_size - 2, y = (pt + pb) / 2;
    o += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"middle\" font-size=\"" + num(label_size) +
         "\" fill=\"#222222\" transform=\"rotate(-90 " + num(x) + " " + num(y) + ")\">" + xml_escape(p.y.label) + "</text>\n";
  }

  // data, clipped to the plot area
  o += "<g clip-path=\"url(#plot-area)\" fill=\"none\">\n";
  if (p.diagonal) {
    const double lo = std::max(p.x.log10 ? std::pow(10.0, ax.lo) : ax.lo, p.y.log10 ? std::pow(10.0, ay.lo) : ay.lo);
    const double hi = std::min(p.x.log10 ? std::pow(10.0, ax.hi) : ax.hi, p.y.log10 ? std::pow(10.0, ay.hi) : ay.hi);
    if (lo < hi)
      o += "<line class=\"diagonal\" x1=\"" + num(sx(lo)) + "\" y1=\"" + num(sy(lo)) + "\" x2=\"" + num(sx(hi)) + "\" y2=\"" +
           num(sy(hi)) + "\" stroke=\"#888888\" stroke-width=\"1.2\" stroke-dasharray=\"6,4\"/>\n";
  }
  for (const plot_hline& h : p.hlines)
    if (usable(h.y, p.y.log10))
      o += "<line class=\"hline\" x1=\"" + num(pl) + "\" y1=\"" + num(sy(h.y)) + "\" x2=\"" + num(pr) + "\" y2=\"" + num(sy(h.y)) +
           "\" stroke=\"#666666\" stroke-width=\"1\" stroke-dasharray=\"2,3\"/>\n";
  for (const plot_vline& v : p.vlines)
    if (usable(v.x, p.x.log10))
      o += "<line class=\"vline\" x1=\"" + num(sx(v.x)) + "\" y1=\"" + num(pt) + "\" x2=\"" + num(sx(v.x)) + "\" y2=\"" + num(pb) +
           "\" stroke=\"#444444\" stroke-width=\"1.3\" stroke-dasharray=\"6,4\"/>\n";
  // muted series first, underneath
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < p.series.size(); ++k)
    if (p.series[k].muted) order.push_back(k);
  for (std::size_t k = 0; k < p.series.size(); ++k)
    if (!p.series[k].muted) order.push_back(k);
  std::vector<std::pair<double, double>> drawn;  // pixels of the data (lines sampled), for the labels' places
  for (std::size_t k : order) {
    const plot_series& s = p.series[k];
    const int index = static_cast<int>(k);
    const std::string color = series_color(s, index), dash = dash_for(s, index);
    const std::size_t n = std::min(s.x.size(), s.y.size());
    auto ok = [&](std::size_t i) { return usable(s.x[i], p.x.log10) && usable(s.y[i], p.y.log10); };
    if (s.line) {
      std::string d;
      bool pen = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) {
          pen = false;
          continue;
        }
        const double X = sx(s.x[i]), Y = sy(s.y[i]);
        if (pen && !s.muted) {  // sample the segment (or the two of a step) every few pixels
          const auto [X0, Y0] = drawn.back();
          auto sample = [&](double xa, double ya, double xb, double yb) {
            const int m = static_cast<int>(std::min(200.0, std::hypot(xb - xa, yb - ya) / 6));
            for (int q = 1; q <= m; ++q) drawn.emplace_back(xa + (xb - xa) * q / (m + 1), ya + (yb - ya) * q / (m + 1));
          };
          if (s.step) {
            sample(X0, Y0, X0, Y);
            sample(X0, Y, X, Y);
          } else {
            sample(X0, Y0, X, Y);
          }
        }
        if (!s.muted) drawn.emplace_back(X, Y);
        if (!pen) d += "M" + num(X) + " " + num(Y);
        else if (s.step) d += "V" + num(Y) + "H" + num(X);
        else d += "L" + num(X) + " " + num(Y);
        pen = true;
      }
      if (!d.empty())
        o += "<path d=\"" + d + "\" stroke=\"" + color + "\" stroke-width=\"" + (s.muted ? "1" : "2") + "\"" +
             (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + " stroke-linejoin=\"round\"/>\n";
    }
    if (!s.error.empty()) {
      std::string d;
      for (std::size_t i = 0; i < n && i < s.error.size(); ++i)
        if (ok(i) && std::isfinite(s.error[i]))
          for (double f : {-1.0, -0.5, 0.5, 1.0})
            if (usable(s.y[i] + f * s.error[i], p.y.log10)) drawn.emplace_back(sx(s.x[i]), sy(s.y[i] + f * s.error[i]));
      for (std::size_t i = 0; i < n && i < s.error.size(); ++i) {
        if (!ok(i) || !std::isfinite(s.error[i]) || s.error[i] <= 0) continue;
        const double X = sx(s.x[i]);
        const double lo = s.y[i] - s.error[i], hi = s.y[i] + s.error[i];
        if (!usable(lo, p.y.log10) || !usable(hi, p.y.log10)) continue;
        const double Y0 = sy(lo), Y1 = sy(hi);
        d += "M" + num(X) + " " + num(Y0) + "V" + num(Y1) + "M" + num(X - 4) + " " + num(Y0) + "H" + num(X + 4) + "M" +
             num(X - 4) + " " + num(Y1) + "H" + num(X + 4);
      }
      if (!d.empty()) o += "<path class=\"error-bars\" d=\"" + d + "\" stroke=\"" + color + "\" stroke-width=\"1.2\"/>\n";
    }
    if (s.markers && s.ring) {
      o += "<g fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\">";
      for (std::size_t i = 0; i < n; ++i)
        if (ok(i)) {
          o += "<circle cx=\"" + num(sx(s.x[i])) + "\" cy=\"" + num(sy(s.y[i])) + "\" r=\"7.5\"/>";
          for (double t = 0; t < 6.28; t += 0.785) drawn.emplace_back(sx(s.x[i]) + 7.5 * std::cos(t), sy(s.y[i]) + 7.5 * std::sin(t));
        }
      o += "</g>\n";
    } else if (s.markers) {
      double wmax = 0;
      for (double w : s.weight)
        if (std::isfinite(w)) wmax = std::max(wmax, w);
      o += "<g fill=\"" + color + "\" fill-opacity=\"" + (s.weight.empty() ? "1" : "0.45") + "\" stroke=\"" + color + "\" stroke-width=\"1\">";
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        double r = 3.5;
        if (!s.weight.empty()) {
          const double w = i < s.weight.size() && std::isfinite(s.weight[i]) && wmax > 0 ? s.weight[i] / wmax : 0;
          r = 2.5 + 9.5 * std::sqrt(std::max(w, 0.0));
        }
        o += "<circle cx=\"" + num(sx(s.x[i])) + "\" cy=\"" + num(sy(s.y[i])) + "\" r=\"" + num(r) + "\"/>";
        for (double a = 0; r > 5 && a < 6.28; a += 0.785) drawn.emplace_back(sx(s.x[i]) + r * std::cos(a), sy(s.y[i]) + r * std::sin(a));
      }
      o += "</g>\n";
    }
  }
  o += "</g>\n";

  // marker-line labels, on a white box, inside the plot area at the top
  for (const plot_vline& v : p.vlines) {
    if (!usable(v.x, p.x.log10) || v.label.empty()) continue;
    // beside the line, at the top or the bottom of the plot area, where it covers the least data
    const double X = sx(v.x), w = text_width(v.label, 12);
    std::size_t best = std::numeric_limits<std::size_t>::max();
    double bx = 0, by = 0;
    for (double top_y : {pt + 5, pb - 22, pt + 26, pb - 43})
      for (bool leftward : {false, true}) {
        const double x0 = leftward ? X - 6 - w - 3 : X + 3;
        if (x0 < pl + 1 || x0 + w + 6 > pr - 1) continue;
        const std::size_t c = covered(drawn, {x0, top_y, x0 + w + 6, top_y + 17});
        if (c < best) best = c, bx = x0, by = top_y;
      }
    if (best == std::numeric_limits<std::size_t>::max()) bx = std::max(pl + 1, std::min(X + 3, pr - 1 - w - 6)), by = pt + 5;
    o += "<rect x=\"" + num(bx) + "\" y=\"" + num(by) + "\" width=\"" + num(w + 6) + "\" height=\"17\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>";
    o += "<text x=\"" + num(bx + 3) + "\" y=\"" + num(by + 13) + "\" font-size=\"12\" fill=\"#333333\">" + xml_escape(v.label) + "</text>\n";
  }
  for (const plot_hline& h : p.hlines) {
    if (!usable(h.y, p.y.log10) || h.label.empty()) continue;
    // above or below the line, at its left or right end, where it covers the least data
    const double Y = sy(h.y), w = text_width(h.label, 11);
    std::size_t best = std::numeric_limits<std::size_t>::max();
    double bx = pl + 4, by = Y - 15;
    for (double y0 : {Y - 15, Y + 2})
      for (double x0 : {pr - 4 - w - 4, pl + 4}) {
        if (y0 < pt + 1 || y0 + 13 > pb - 1) continue;
        const std::size_t c = covered(drawn, {x0, y0, x0 + w + 4, y0 + 13});
        if (c < best) best = c, bx = x0, by = y0;
      }
    o += "<rect x=\"" + num(bx) + "\" y=\"" + num(by) + "\" width=\"" + num(w + 4) + "\" height=\"13\" fill=\"#ffffff\" fill-opacity=\"0.8\"/>";
    o += "<text x=\"" + num(bx + 2) + "\" y=\"" + num(by + 10) + "\" font-size=\"11\" fill=\"#555555\">" + xml_escape(h.label) + "</text>\n";
  }

  // frame
  o += "<rect x=\"" + num(pl) + "\" y=\"" + num(pt) + "\" width=\"" + num(pr - pl) + "\" height=\"" + num(pb - pt) +
       "\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>\n";

  // legend, right of the plot area; entries that do not fit are summarised
  if (!legend.empty()) {
    const double lx = pr + 16, line_h = 19;
    const std::size_t fit = static_cast<std::size_t>(std::max(1.0, std::floor((pb - pt - 8) / line_h)));
    std::size_t shown = legend.size();
    std::string more;
    if (shown > fit) {
      shown = fit - 1;
      more = "… " + std::to_string(legend.size() - shown) + " more";
    }
    o += "<g class=\"legend\" font-size=\"" + num(legend_size) + "\" fill=\"#222222\">\n";
    double y = pt + 12;
    for (std::size_t k = 0; k < shown; ++k, y += line_h) {
      const legend_entry& e = legend[k];
      if (e.note) {
        o += "<text x=\"" + num(lx) + "\" y=\"" + num(y + 4) + "\" fill=\"#666666\" font-style=\"italic\">" + xml_escape(e.text) + "</text>\n";
        continue;
      }
      if (e.line)
        o += "<line x1=\"" + num(lx) + "\" y1=\"" + num(y) + "\" x2=\"" + num(lx + 22) + "\" y2=\"" + num(y) + "\" stroke=\"" + e.color +
             "\" stroke-width=\"2\"" + (e.dashed ? " stroke-dasharray=\"5,3\"" : "") + "/>";
      if (e.markers) o += "<circle cx=\"" + num(lx + 11) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + e.color + "\"/>";
      o += "<text x=\"" + num(lx + 30) + "\" y=\"" + num(y + 4) + "\">" + xml_escape(e.text) + "</text>\n";
    }
    if (!more.empty()) o += "<text x=\"" + num(lx) + "\" y=\"" + num(y + 4) + "\" fill=\"#666666\">" + xml_escape(more) + "</text>\n";
    o += "</g>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace logreg::report
