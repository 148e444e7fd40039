package dev.strata.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small line-chart writer producing standalone inline SVG: axes with "nice" ticks (1, 2 or 5
 * times a power of ten), one polyline per series, an optional shaded band (e.g. the inter-quartile
 * range over seeds) and a legend. No scripts, no external resources.
 *
 * <p>Build with {@link #of(String, String, String)}, add series, then {@link #render()}. Not
 * thread-safe while being built; the rendered string is a value.
 */
public final class SvgChart {

  /** A series: points {@code (x[i], y[i])}, and when {@code lo}/{@code hi} are non-null a band. */
  public record Series(String name, double[] x, double[] y, double[] lo, double[] hi, boolean markers) {
    public Series {
      Objects.requireNonNull(name, "name");
      if (x.length != y.length || (lo != null && lo.length != x.length) || (hi != null && hi.length != x.length)) {
        throw new IllegalArgumentException("series '" + name + "': x, y, lo and hi must have the same length");
      }
    }
  }

  /** A categorical palette that stays readable on white (Tableau 10). */
  static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
      "#ff9da7", "#9c755f", "#bab0ac"};

  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int LEFT = 70;
  private static final int RIGHT = 150;
  private static final int TOP = 36;
  private static final int BOTTOM = 48;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();

  private SvgChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public static SvgChart of(String title, String xLabel, String yLabel) {
    return new SvgChart(title, xLabel, yLabel);
  }

  public SvgChart add(Series s) {
    series.add(s);
    return this;
  }

  public SvgChart line(String name, double[] x, double[] y) {
    return add(new Series(name, x, y, null, null, false));
  }

  public SvgChart band(String name, double[] x, double[] y, double[] lo, double[] hi) {
    return add(new Series(name, x, y, lo, hi, false));
  }

  /** The chart as an {@code <svg>} element. */
  public String render() {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isFinite(s.x()[i])) {
          continue;
        }
        for (double v : new double[] {s.y()[i], s.lo() == null ? Double.NaN : s.lo()[i],
            s.hi() == null ? Double.NaN : s.hi()[i]}) {
          if (Double.isFinite(v)) {
            xMin = Math.min(xMin, s.x()[i]);
            xMax = Math.max(xMax, s.x()[i]);
            yMin = Math.min(yMin, v);
            yMax = Math.max(yMax, v);
          }
        }
      }
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"").append(escape(title))
        .append("\">\n");
    svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">")
        .append(escape(title)).append("</text>\n");
    if (xMin > xMax) {
      svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
          .append("\" text-anchor=\"middle\" fill=\"#888\">no data yet</text>\n</svg>\n");
      return svg.toString();
    }
    if (xMin == xMax) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    if (yMin == yMax) {
      double pad = yMin == 0 ? 1 : Math.abs(yMin) * 0.05;
      yMin -= pad;
      yMax += pad;
    }
    double[] xTicks = ticks(xMin, xMax, 6);
    double[] yTicks = ticks(yMin, yMax, 6);
    xMin = Math.min(xMin, xTicks[0]);
    xMax = Math.max(xMax, xTicks[xTicks.length - 1]);
    yMin = Math.min(yMin, yTicks[0]);
    yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
    Scale sx = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT);
    Scale sy = new Scale(yMin, yMax, HEIGHT - BOTTOM, TOP);

    // grid and axes
    svg.append("<g stroke=\"#e5e5e5\">\n");
    for (double t : yTicks) {
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", LEFT, WIDTH - RIGHT,
          sy.map(t), sy.map(t)));
    }
    svg.append("</g>\n<g fill=\"#444\">\n");
    for (double t : xTicks) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", sx.map(t),
          HEIGHT - BOTTOM + 16, label(t)));
    }
    for (double t : yTicks) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 6,
          sy.map(t) + 4, label(t)));
    }
    svg.append("</g>\n");
    svg.append(String.format(Locale.ROOT,
        "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#444\"/>\n", LEFT, TOP, HEIGHT - BOTTOM, WIDTH - RIGHT));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n",
        (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 10, escape(xLabel)));
    svg.append(String.format(Locale.ROOT,
        "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n",
        (TOP + HEIGHT - BOTTOM) / 2, escape(yLabel)));

    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = PALETTE[k % PALETTE.length];
      if (s.lo() != null && s.hi() != null) {
        StringBuilder d = new StringBuilder();
        List<Integer> idx = finite(s);
        for (int j = 0; j < idx.size(); j++) {
          int i = idx.get(j);
          d.append(j == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", sx.map(s.x()[i]), sy.map(s.hi()[i])));
        }
        for (int j = idx.size() - 1; j >= 0; j--) {
          int i = idx.get(j);
          d.append("L").append(String.format(Locale.ROOT, "%.1f %.1f ", sx.map(s.x()[i]), sy.map(s.lo()[i])));
        }
        if (!idx.isEmpty()) {
          svg.append("<path d=\"").append(d.toString().strip()).append(" Z\" fill=\"").append(color)
              .append("\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
        }
      }
      StringBuilder points = new StringBuilder();
      for (int i : finite(s)) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.map(s.x()[i]), sy.map(s.y()[i])));
      }
      svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
          .append(points.toString().strip()).append("\"><title>").append(escape(s.name())).append("</title></polyline>\n");
      int ly = TOP + 8 + 18 * k;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
              + "<text x=\"%d\" y=\"%d\">%s</text>\n",
          WIDTH - RIGHT + 12, WIDTH - RIGHT + 32, ly, ly, color, WIDTH - RIGHT + 38, ly + 4, escape(clip(s.name(), 18))));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static List<Integer> finite(Series s) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < s.x().length; i++) {
      if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])
          && (s.lo() == null || Double.isFinite(s.lo()[i])) && (s.hi() == null || Double.isFinite(s.hi()[i]))) {
        out.add(i);
      }
    }
    return out;
  }

  private record Scale(double from, double to, double pixelFrom, double pixelTo) {
    double map(double v) {
      return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
    }
  }

  /** About {@code count} round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
  static double[] ticks(double lo, double hi, int count) {
    double raw = (hi - lo) / Math.max(1, count - 1);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    double start = Math.floor(lo / step) * step;
    double end = Math.ceil(hi / step) * step;
    int n = (int) Math.round((end - start) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = start + i * step;
    }
    return out;
  }

  private static String label(double v) {
    if (Math.abs(v) < 1e-12) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** XML-escapes text and attribute values. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
