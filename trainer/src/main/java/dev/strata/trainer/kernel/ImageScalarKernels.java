package dev.strata.trainer.kernel;

/**
 * Plain scalar twins of the image kernels ({@link ConvKernel}, {@link ChannelNormKernel},
 * {@link PoolKernel}), written from the formulas: a direct 7-deep convolution loop with no unfold,
 * no matrix product and no scratch. They perform the same floating-point operations in the same order
 * as the kernels (the fused multiply-add chains of the products, the per-pixel-then-per-plane sums of
 * batch norm), so the kernel tests compare them bit for bit. Same argument conventions as the kernels.
 * Stateless and thread-safe.
 */
public final class ImageScalarKernels {

  private ImageScalarKernels() {}

  /** Input pixel of sample n read by a window tap, or 0 in the padding. */
  private static float at(ConvShape s, float[] x, int xn, int c, int iy, int ix) {
    if (iy < 0 || iy >= s.height() || ix < 0 || ix >= s.width()) {
      return 0f;
    }
    return x[xn + (c * s.height() + iy) * s.width() + ix];
  }

  public static void convForward(ConvShape s, int rows, float[] x, int xOff, float[] w, int wOff, float[] bias,
      int bOff, float[] y, int yOff) {
    int cinG = s.inChannels() / s.groups();
    int coutG = s.outChannels() / s.groups();
    int k = s.kernel();
    for (int n = 0; n < rows; n++) {
      int xn = xOff + n * s.inSize();
      for (int co = 0; co < s.outChannels(); co++) {
        int g = co / coutG;
        for (int oy = 0; oy < s.outHeight(); oy++) {
          for (int ox = 0; ox < s.outWidth(); ox++) {
            float acc = 0f;
            int wi = wOff + co * s.groupK();
            for (int ci = 0; ci < cinG; ci++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  float v = at(s, x, xn, g * cinG + ci, oy * s.stride() - s.padding() + i * s.dilation(),
                      ox * s.stride() - s.padding() + j * s.dilation());
                  acc = Math.fma(w[wi++], v, acc);
                }
              }
            }
            if (bias != null) {
              acc += bias[bOff + co];
            }
            y[yOff + n * s.outSize() + (co * s.outHeight() + oy) * s.outWidth() + ox] = acc;
          }
        }
      }
    }
  }

  public static void convBackward(ConvShape s, int rows, float[] x, int xOff, float[] dy, int dyOff, float[] w,
      int wOff, float[] dW, int dwOff, float[] dBias, int dbOff, float[] dx, int dxOff) {
    int cinG = s.inChannels() / s.groups();
    int coutG = s.outChannels() / s.groups();
    int k = s.kernel();
    int p = s.outPlane();
    // weight gradient, all but pointwise: 16 lanes per weight, lane l the chain over the samples, then
    // the output pixels whose index on the phase width, oy ceil((W + 2 pad) / stride) + ox, is l mod 16;
    // then the lanes folded in VMath's tree
    if (!s.pointwise()) {
      int wph = (s.width() + 2 * s.padding() + s.stride() - 1) / s.stride();
      float[] lanes = new float[16];
      for (int co = 0; co < s.outChannels(); co++) {
        int g = co / coutG;
        int wi = co * s.groupK();
        for (int ci = 0; ci < cinG; ci++) {
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++, wi++) {
              java.util.Arrays.fill(lanes, 0f);
              for (int n = 0; n < rows; n++) {
                for (int oy = 0; oy < s.outHeight(); oy++) {
                  for (int ox = 0; ox < s.outWidth(); ox++) {
                    float v = at(s, x, xOff + n * s.inSize(), g * cinG + ci,
                        oy * s.stride() - s.padding() + i * s.dilation(), ox * s.stride() - s.padding() + j * s.dilation());
                    int l = (oy * wph + ox) % 16;
                    lanes[l] = Math.fma(dy[dyOff + n * s.outSize() + co * p + oy * s.outWidth() + ox], v, lanes[l]);
                  }
                }
              }
              dW[dwOff + wi] = ConvKernel.tree(lanes, 0);
            }
          }
        }
      }
    }
    // pointwise: one chain per weight over samples, then output pixels
    for (int co = 0; co < s.outChannels() && s.pointwise(); co++) {
      int g = co / coutG;
      int wi = co * s.groupK();
      for (int ci = 0; ci < cinG; ci++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++, wi++) {
            float acc = 0f;
            for (int n = 0; n < rows; n++) {
              for (int oy = 0; oy < s.outHeight(); oy++) {
                for (int ox = 0; ox < s.outWidth(); ox++) {
                  float v = at(s, x, xOff + n * s.inSize(), g * cinG + ci,
                      oy * s.stride() - s.padding() + i * s.dilation(), ox * s.stride() - s.padding() + j * s.dilation());
                  acc = Math.fma(dy[dyOff + n * s.outSize() + co * p + oy * s.outWidth() + ox], v, acc);
                }
              }
            }
            dW[dwOff + wi] = acc;
          }
        }
      }
    }
    if (dBias != null) {
      for (int co = 0; co < s.outChannels(); co++) {
        float acc = 0f;
        for (int q = 0; q < p; q++) {
          float pixel = 0f;
          for (int n = 0; n < rows; n++) {
            pixel += dy[dyOff + n * s.outSize() + co * p + q];
          }
          acc += pixel;
        }
        dBias[dbOff + co] = acc;
      }
    }
    if (dx == null) {
      return;
    }
    java.util.Arrays.fill(dx, dxOff, dxOff + rows * s.inSize(), 0f);
    if (s.stride() == 1 && !s.pointwise()) {
      // stride 1: each input pixel is one chain over (co, i, j), taps outside the output skipped
      for (int n = 0; n < rows; n++) {
        for (int c = 0; c < s.inChannels(); c++) {
          int g = c / cinG;
          int ci = c % cinG;
          for (int iy = 0; iy < s.height(); iy++) {
            for (int ix = 0; ix < s.width(); ix++) {
              float acc = 0f;
              for (int co = g * coutG; co < (g + 1) * coutG; co++) {
                for (int i = 0; i < k; i++) {
                  for (int j = 0; j < k; j++) {
                    int oy = iy + s.padding() - i * s.dilation();
                    int ox = ix + s.padding() - j * s.dilation();
                    if (oy >= 0 && oy < s.outHeight() && ox >= 0 && ox < s.outWidth()) {
                      acc = Math.fma(w[wOff + co * s.groupK() + (ci * k + i) * k + j],
                          dy[dyOff + n * s.outSize() + co * p + oy * s.outWidth() + ox], acc);
                    }
                  }
                }
              }
              dx[dxOff + n * s.inSize() + (c * s.height() + iy) * s.width() + ix] = acc;
            }
          }
        }
      }
      return;
    }
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int g = c / cinG;
        int ci = c % cinG;
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            int tap = (ci * k + i) * k + j;
            for (int oy = 0; oy < s.outHeight(); oy++) {
              for (int ox = 0; ox < s.outWidth(); ox++) {
                int iy = oy * s.stride() - s.padding() + i * s.dilation();
                int ix = ox * s.stride() - s.padding() + j * s.dilation();
                float acc = 0f;
                for (int co = g * coutG; co < (g + 1) * coutG; co++) {
                  acc = Math.fma(w[wOff + co * s.groupK() + tap],
                      dy[dyOff + n * s.outSize() + co * p + oy * s.outWidth() + ox], acc);
                }
                if (iy >= 0 && iy < s.height() && ix >= 0 && ix < s.width()) {
                  dx[dxOff + n * s.inSize() + (c * s.height() + iy) * s.width() + ix] += acc;
                }
              }
            }
          }
        }
      }
    }
  }

  public static void channelNormTrainForward(int rows, int channels, int plane, float[] x, float[] gamma,
      float[] beta, float eps, boolean relu, float[] mean, float[] var, float[] invStd, float[] y) {
    float invM = 1.0f / ((float) rows * plane);
    for (int c = 0; c < channels; c++) {
      double s = 0;
      for (int i = 0; i < plane; i++) {
        float a = 0f;
        for (int n = 0; n < rows; n++) {
          a += x[(n * channels + c) * plane + i];
        }
        s += a;
      }
      float mu = (float) s * invM;
      double q = 0;
      for (int i = 0; i < plane; i++) {
        float a = 0f;
        for (int n = 0; n < rows; n++) {
          float d = x[(n * channels + c) * plane + i] - mu;
          a = Math.fma(d, d, a);
        }
        q += a;
      }
      float va = (float) q * invM;
      float is = 1.0f / (float) Math.sqrt(va + eps);
      mean[c] = mu;
      var[c] = va;
      invStd[c] = is;
      for (int n = 0; n < rows; n++) {
        for (int i = 0; i < plane; i++) {
          int o = (n * channels + c) * plane + i;
          float v = Math.fma((x[o] - mu) * is, gamma[c], beta[c]);
          y[o] = relu ? Math.max(v, 0.0f) : v;
        }
      }
    }
  }

  /** With {@code relu}, {@code y} is the forward's output and the ReLU's gradient is taken first. */
  public static void channelNormBackward(int rows, int channels, int plane, float[] dyIn, float[] x, float[] mean,
      float[] invStd, boolean relu, float[] y, float[] gamma, float[] dGamma, float[] dBeta, float[] dx) {
    float m = (float) rows * plane;
    float[] dy = dyIn.clone();
    float[] xhat = new float[x.length];
    for (int c = 0; c < channels; c++) {
      for (int n = 0; n < rows; n++) {
        for (int i = 0; i < plane; i++) {
          int o = (n * channels + c) * plane + i;
          xhat[o] = (x[o] - mean[c]) * invStd[c];
          if (relu) {
            dy[o] = (y[o] > 0.0f ? 1.0f : 0.0f) * dy[o];
          }
        }
      }
    }
    for (int c = 0; c < channels; c++) {
      double sb = 0;
      double sg = 0;
      for (int i = 0; i < plane; i++) {
        float b = 0f;
        float g = 0f;
        for (int n = 0; n < rows; n++) {
          int o = (n * channels + c) * plane + i;
          b += dy[o];
          g = Math.fma(dy[o], xhat[o], g);
        }
        sb += b;
        sg += g;
      }
      float db = (float) sb;
      float dg = (float) sg;
      dBeta[c] = db;
      dGamma[c] = dg;
      float k = gamma[c] * invStd[c] * (1.0f / m);
      for (int n = 0; n < rows; n++) {
        for (int i = 0; i < plane; i++) {
          int o = (n * channels + c) * plane + i;
          dx[o] = Math.fma(xhat[o], -dg, dy[o] * m - db) * k;
        }
      }
    }
  }

  /** Max (or average, padding excluded) over each window, from the definition. */
  public static void pool(boolean max, ConvShape s, int rows, float[] x, float[] y) {
    int o = 0;
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        for (int oy = 0; oy < s.outHeight(); oy++) {
          for (int ox = 0; ox < s.outWidth(); ox++) {
            float best = Float.NEGATIVE_INFINITY;
            float sum = 0f;
            int count = 0;
            for (int i = 0; i < s.kernel(); i++) {
              for (int j = 0; j < s.kernel(); j++) {
                int iy = oy * s.stride() - s.padding() + i;
                int ix = ox * s.stride() - s.padding() + j;
                if (iy >= 0 && iy < s.height() && ix >= 0 && ix < s.width()) {
                  float v = x[n * s.inSize() + (c * s.height() + iy) * s.width() + ix];
                  best = Math.max(best, v);
                  sum += v;
                  count++;
                }
              }
            }
            y[o++] = max ? best : sum / count;
          }
        }
      }
    }
  }
}
