package dev.strata.experiments.dashboard;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunState;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Another process writing a run, as {@code strata run} would: {@code TrialWriterMain RUN_DIR}
 * opens the run's store as its one writer, then for each line {@code trial} on stdin runs one
 * trial of the first study to completion (start, two epochs, finish) and prints {@code wrote ID};
 * {@code finish} marks the run finished; end of input closes the store.
 */
public final class TrialWriterMain {

  private TrialWriterMain() {}

  public static void main(String[] args) throws Exception {
    try (RunStore store = RunStore.open(Path.of(args[0]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      StudyRecord study = store.studies().getFirst();
      int index = (int) store.studyTrials(study.id()).size();
      System.out.println("ready");
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("finish")) {
          store.setState(RunState.FINISHED);
          System.out.println("finished");
          continue;
        }
        TrialRecord t = store.recordNext(study.id(), 1, index, "[]",
            List.of(new NewTrial(index, Configuration.of(Map.of("x", (double) index)), 100 + index, Map.of()))).getFirst();
        store.startTrial(t.id(), "local-1");
        for (int epoch = 1; epoch <= 2; epoch++) {
          store.recordEpoch(new EpochRecord(t.id(), epoch, 1.0 / epoch, 1.1 / epoch, 0.5 + 0.1 * epoch, epoch * 0.1));
        }
        store.finishTrial(t.id(), TrialFinish.completed(0.7 + index / 100.0, Map.of("val_accuracy", 0.7 + index / 100.0), 0.2));
        index++;
        System.out.println("wrote " + t.id());
      }
    }
  }
}
