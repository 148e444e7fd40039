package dev.strata.trainer.optim;

import dev.strata.trainer.nn.ParameterStore.Slot;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.List;

/**
 * Updates parameters in place from their gradients, one fused kernel pass per parameter slot.
 * Weight decay lambda ({@link TrainingSpec#weightDecay()}) applies only to slots marked
 * {@code decay} (weight matrices): as an L2 gradient term {@code g' = g + lambda w} for every
 * optimizer except {@link Adam} in its decoupled (AdamW) form.
 *
 * <p>Call order: {@link #create} (allocates the state arrays once), then {@link #step(double)}
 * after each backward pass. Implementations are not thread-safe and allocate nothing per step.
 */
public sealed interface Optimizer permits Sgd, Momentum, Nesterov, Adagrad, RmsProp, AdaDelta, Adam {

  /** Applies one update with learning rate {@code lr} to every slot. */
  void step(double lr);

  /**
   * The optimizer's running state (moments, accumulators) as its live arrays, in a fixed order, so
   * that a training checkpoint can save and restore them; empty for plain SGD.
   */
  default java.util.List<float[]> stateBuffers() {
    return java.util.List.of();
  }

  /** Steps taken, for optimizers whose update depends on it (Adam's bias correction); else 0. */
  default long stepCount() {
    return 0;
  }

  /** Restores {@link #stepCount()} from a checkpoint; ignored by optimizers that do not count. */
  default void restoreStepCount(long steps) {}

  /** The optimizer named by {@code spec}, over {@code params}/{@code grads} laid out as {@code slots}. */
  static Optimizer create(TrainingSpec spec, float[] params, float[] grads, List<Slot> slots) {
    float wd = (float) spec.weightDecay();
    Target t = new Target(params, grads, slots, wd);
    return switch (spec.optimizer()) {
      case SGD -> new Sgd(t, wd);
      case MOMENTUM -> new Momentum(t, (float) spec.momentum(), wd);
      case NESTEROV -> new Nesterov(t, (float) spec.momentum(), wd);
      case ADAGRAD -> new Adagrad(t, (float) spec.eps(), wd);
      case RMSPROP -> new RmsProp(t, (float) spec.rho(), (float) spec.eps(), wd);
      case ADADELTA -> new AdaDelta(t, (float) spec.rho(), (float) spec.eps(), wd);
      case ADAM -> new Adam(t, (float) spec.beta1(), (float) spec.beta2(), (float) spec.eps(), wd, false);
      case ADAMW -> new Adam(t, (float) spec.beta1(), (float) spec.beta2(), (float) spec.eps(), wd, true);
    };
  }

  /**
   * The arrays an optimizer works on, and the parameter slots merged into runs: adjacent slots
   * with the same effective decay (the flag, or none at all when lambda is 0) become one kernel
   * pass; every update is element-wise, so merging changes no bits and saves a call per slot.
   */
  record Target(float[] params, float[] grads, List<Slot> slots, int[] runOffset, int[] runLength,
      boolean[] runDecay) {

    Target(float[] params, float[] grads, List<Slot> slots, float lambda) {
      this(params, grads, List.copyOf(slots), runs(slots, lambda, 0), runs(slots, lambda, 1), decays(slots, lambda));
    }

    int runs() {
      return runOffset.length;
    }

    float decay(int run, float lambda) {
      return runDecay[run] ? lambda : 0f;
    }

    /** Offsets (what = 0) or lengths (what = 1) of the runs. */
    private static int[] runs(List<Slot> slots, float lambda, int what) {
      int[] off = new int[slots.size()];
      int[] len = new int[slots.size()];
      int n = 0;
      for (int i = 0; i < slots.size(); i++) {
        Slot s = slots.get(i);
        if (n > 0 && decays(slots.get(i - 1), lambda) == decays(s, lambda) && off[n - 1] + len[n - 1] == s.offset()) {
          len[n - 1] += s.size();
        } else {
          off[n] = s.offset();
          len[n] = s.size();
          n++;
        }
      }
      return java.util.Arrays.copyOf(what == 0 ? off : len, n);
    }

    private static boolean decays(Slot s, float lambda) {
      return s.decay() && lambda != 0f;
    }

    private static boolean[] decays(List<Slot> slots, float lambda) {
      int[] off = runs(slots, lambda, 0);
      boolean[] d = new boolean[off.length];
      for (int r = 0, i = 0; r < off.length; r++) {
        while (slots.get(i).offset() != off[r]) {
          i++;
        }
        d[r] = decays(slots.get(i), lambda);
      }
      return d;
    }
  }
}
