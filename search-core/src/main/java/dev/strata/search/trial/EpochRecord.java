package dev.strata.search.trial;

/**
 * One point of a trial's learning curve. Immutable.
 *
 * @param valMetric the validation objective metric (accuracy or RMSE), NaN when not measured
 * @param seconds training seconds since the trial started
 */
public record EpochRecord(long trialId, int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {}
