package dev.strata.trainer.meanfield;

import dev.strata.trainer.spec.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes docs/img/phase-diagram-tanh.svg: the tanh phase diagram (sigma_w^2 against sigma_b^2),
 * colour = trainable depth 6 xi, black line = chi_1 = 1. Not a test; run its main with the test
 * classpath and the output path as the argument.
 */
public class PhaseDiagram {
  public static void main(String[] args) throws Exception {
    int nx = 70, ny = 50;
    double x0 = 0.5, x1 = 4.0, y0 = 0.0, y1 = 0.5;
    int left = 60, top = 30, w = 560, h = 400;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", left + w + 150, top + h + 50));
    s.append("<title>tanh mean-field phase diagram</title>\n");
    double cw = (double) w / nx, ch = (double) h / ny;
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < ny; j++) {
        double sw2 = x0 + (i + 0.5) * (x1 - x0) / nx;
        double sb2 = y0 + (j + 0.5) * (y1 - y0) / ny;
        double chi = MeanField.fixedPoint(Activation.TANH, sw2, sb2).chi1();
        double reach = 6 * MeanField.depthScale(chi); // trainable depth
        double t = Math.min(1, Math.log10(Math.max(reach, 1)) / 3); // 1 .. 1000 layers
        int r, g, b;
        if (chi < 1) { r = (int) (40 + 215 * t); g = (int) (70 + 185 * t); b = 255; }
        else { r = 255; g = (int) (60 + 195 * t); b = (int) (60 + 195 * t); }
        s.append(String.format(Locale.ROOT, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='rgb(%d,%d,%d)'/>%n",
            left + i * cw, top + h - (j + 1) * ch, cw + 0.3, ch + 0.3, r, g, b));
      }
    }
    StringBuilder line = new StringBuilder();
    for (int j = 0; j <= 50; j++) {
      double sb2 = y0 + j * (y1 - y0) / 50;
      double sw2 = MeanField.criticalSigmaW2(Activation.TANH, sb2);
      line.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + (sw2 - x0) / (x1 - x0) * w, top + h - (sb2 - y0) / (y1 - y0) * h));
    }
    s.append("<polyline fill='none' stroke='black' stroke-width='2' points='").append(line).append("'/>\n");
    for (double v = 0.5; v <= 4.0001; v += 0.5) {
      double px = left + (v - x0) / (x1 - x0) * w;
      s.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='black'/><text x='%.1f' y='%d' text-anchor='middle'>%.1f</text>%n", px, top + h, px, top + h + 5, px, top + h + 18, v));
    }
    for (double v = 0; v <= 0.5001; v += 0.1) {
      double py = top + h - (v - y0) / (y1 - y0) * h;
      s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='black'/><text x='%d' y='%.1f' text-anchor='end'>%.1f</text>%n", left - 5, py, left, py, left - 8, py + 4, v));
    }
    s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>σ_w²</text>%n", left + w / 2, top + h + 38));
    s.append(String.format(Locale.ROOT, "<text x='15' y='%d' transform='rotate(-90 15 %d)' text-anchor='middle'>σ_b²</text>%n", top + h / 2, top + h / 2));
    s.append(String.format(Locale.ROOT, "<text x='%d' y='18' text-anchor='middle'>tanh: χ₁ = 1 (black line); colour = trainable depth 6ξ, pale = deep</text>%n", left + w / 2));
    int lx = left + w + 15;
    s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>ordered (χ₁ &lt; 1)</text>%n", lx, top + 20));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='14' fill='rgb(40,70,255)'/><text x='%d' y='%d'>6ξ ≈ 1</text>%n", lx, top + 30, lx + 20, top + 42));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='14' fill='rgb(147,155,255)'/><text x='%d' y='%d'>6ξ ≈ 30</text>%n", lx, top + 50, lx + 20, top + 62));
    s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>chaotic (χ₁ &gt; 1)</text>%n", lx, top + 100));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='14' fill='rgb(255,60,60)'/><text x='%d' y='%d'>6ξ ≈ 1</text>%n", lx, top + 110, lx + 20, top + 122));
    s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='14' fill='rgb(255,157,157)'/><text x='%d' y='%d'>6ξ ≈ 30</text>%n", lx, top + 130, lx + 20, top + 142));
    s.append("</svg>\n");
    Files.writeString(Path.of(args[0]), s.toString());
  }
}
