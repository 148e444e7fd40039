package dev.strata.trainer.nn;

import dev.strata.trainer.spec.Activation;

/**
 * One place of a {@link Network} where an activation function is applied to {@code channels x
 * plane} values per row (plane 1 on a dense batch), for analysis at initialisation: a dense layer's
 * fused activation, a stand-alone {@link ActivationLayer}, a ReLU fused into batch norm, or a ReLU
 * moved past max pooling (seen where the spec puts it, on the convolution's output). After a
 * training-mode forward, {@link #preActivation} gives the values the activation was applied to.
 * Immutable handle on live network buffers; not thread-safe (like the network).
 */
public final class ActivationSite {

  /** Where the pre-activation comes from. */
  interface Source {
    float[] values(int rows, float[] scratch);
  }

  private final String name;
  private final Activation activation;
  private final int channels;
  private final int plane;
  private final Source source;

  ActivationSite(String name, Activation activation, int channels, int plane, Source source) {
    this.name = name;
    this.activation = activation;
    this.channels = channels;
    this.plane = plane;
    this.source = source;
  }

  /** The name, e.g. {@code blocks.0.dense1}, {@code blocks.1.unit0.act} or {@code blocks.0.conv0.bn+relu}. */
  public String name() {
    return name;
  }

  public Activation activation() {
    return activation;
  }

  /** Channels of an image activation, columns of a dense one. */
  public int channels() {
    return channels;
  }

  /** Pixels per channel (1 on a dense batch). */
  public int plane() {
    return plane;
  }

  /** Values per row: channels x plane. */
  public int width() {
    return channels * plane;
  }

  /**
   * The pre-activation of the last training-mode forward, {@code rows x width} row-major (NCHW):
   * the layer's live buffer when it keeps one (do not write to it), otherwise computed into {@code
   * scratch} (at least {@code rows x width} floats) and returned.
   */
  public float[] preActivation(int rows, float[] scratch) {
    return source.values(rows, scratch);
  }

  @Override
  public String toString() {
    return name + " (" + activation.jsonName() + ", " + channels + (plane > 1 ? " x " + plane : "") + ")";
  }
}
