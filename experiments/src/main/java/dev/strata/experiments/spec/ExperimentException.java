package dev.strata.experiments.spec;

import dev.strata.search.space.SpaceException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An experiment file is wrong. Carries every {@link SpaceException.Problem} found, in document
 * order; {@link #getMessage()} is one line per problem:
 *
 * <pre>{@code FILE:LINE:COL /json/pointer: what is wrong; how to fix}</pre>
 *
 * <p>The same line format as search-core's {@link SpaceException}, whose problems are merged in
 * unchanged when the {@code space} part is wrong. Immutable and thread-safe.
 */
public final class ExperimentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<SpaceException.Problem> problems;

  public ExperimentException(List<SpaceException.Problem> problems) {
    super(problems.stream().map(SpaceException.Problem::format).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an ExperimentException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order. */
  public List<SpaceException.Problem> problems() {
    return problems;
  }
}
