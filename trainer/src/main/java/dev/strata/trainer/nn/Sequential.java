package dev.strata.trainer.nn;

import java.util.List;
import java.util.random.RandomGenerator;

/** Layers applied one after another; backward runs them in reverse. Not thread-safe. */
public final class Sequential implements Layer {

  private final List<Layer> layers;
  private final int in;

  public Sequential(int inputWidth, List<Layer> layers) {
    int w = inputWidth;
    for (Layer l : layers) {
      if (l.inputWidth() != w) {
        throw new IllegalArgumentException("layer " + l + " expects width " + l.inputWidth() + ", gets " + w);
      }
      w = l.outputWidth();
    }
    this.in = inputWidth;
    this.layers = List.copyOf(layers);
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public List<Layer> children() {
    return layers;
  }

  @Override
  public int inputWidth() {
    return in;
  }

  @Override
  public int outputWidth() {
    return layers.isEmpty() ? in : layers.getLast().outputWidth();
  }

  @Override
  public long floatsPerRow() {
    long n = 0;
    for (Layer l : layers) {
      n += l.floatsPerRow();
    }
    return n;
  }

  @Override
  public long fixedFloats() {
    long n = 0;
    for (Layer l : layers) {
      n += l.fixedFloats();
    }
    return n;
  }

  @Override
  public void allocate(int maxRows) {
    for (Layer l : layers) {
      l.allocate(maxRows);
    }
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    for (Layer l : layers) {
      l.initialize(init, rng);
    }
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    for (int i = 0; i < layers.size(); i++) {
      x = layers.get(i).forward(x, rows, training);
    }
    return x;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      dy = layers.get(i).backward(dy, rows);
    }
    return dy;
  }

  @Override
  public void needInputGradient(boolean needed) {
    if (!layers.isEmpty()) {
      layers.getFirst().needInputGradient(needed);
    }
  }

  @Override
  public long flopsPerSample() {
    long n = 0;
    for (Layer l : layers) {
      n += l.flopsPerSample();
    }
    return n;
  }
}
