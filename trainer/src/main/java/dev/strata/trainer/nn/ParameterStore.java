package dev.strata.trainer.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One flat {@code float[]} holding many named tensors ("slots"), plus an equally laid out gradient
 * array. Layers reserve slots while the network is being planned ({@link #add}); the arrays are
 * created once by {@link #allocate(boolean)}, after the memory guard has approved their size.
 * Layers keep slot offsets and read {@link #values()} / {@link #gradients()} at run time.
 *
 * <p>Call order: add..., allocate, then use. Not thread-safe; owned by one network.
 */
public final class ParameterStore {

  /**
   * A named tensor view: {@code rows x cols} floats at {@code offset}.
   *
   * @param decay whether weight decay / L2 applies (weight matrices yes; biases, batch-norm no)
   */
  public record Slot(String name, int offset, int rows, int cols, boolean decay) {
    public int size() {
      return rows * cols;
    }
  }

  private final List<Slot> slots = new ArrayList<>();
  private long size;
  private float[] values;
  private float[] gradients;

  /** Reserves a slot; returns it with its offset. Offsets are only meaningful while size() fits an int. */
  public Slot add(String name, int rows, int cols, boolean decay) {
    if (values != null) {
      throw new IllegalStateException("store already allocated");
    }
    long n = (long) rows * cols;
    Slot s = new Slot(name, size + n <= Integer.MAX_VALUE ? (int) size : -1, rows, cols, decay);
    slots.add(s);
    size += n;
    return s;
  }

  /** Total floats over all slots (a long: a planned network may be too large to allocate). */
  public long size() {
    return size;
  }

  /** Creates the value array (and the gradient array when asked); call once. */
  public void allocate(boolean withGradients) {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("parameter store of " + size + " floats exceeds a Java array");
    }
    values = new float[(int) size];
    gradients = withGradients ? new float[(int) size] : null;
  }

  public boolean isAllocated() {
    return values != null;
  }

  public float[] values() {
    return values;
  }

  /** The gradient array, or null for a store without gradients (running statistics). */
  public float[] gradients() {
    return gradients;
  }

  public List<Slot> slots() {
    return Collections.unmodifiableList(slots);
  }
}
